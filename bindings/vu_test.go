package bindings_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/runtime"
	"github.com/mailscript/mailscript/runtime/runtimetest"
)

// TestAsyncSettlesOnTheLoop checks resolution, provider error mapping and that a panicking
// provider rejects the promise instead of crashing the process.
func TestAsyncSettlesOnTheLoop(t *testing.T) {
	install := func(vu bindings.VU, global *goja.Object) error {
		work := map[string]func(context.Context) (string, error){
			"ok": func(context.Context) (string, error) { return "done", nil },
			"fails": func(context.Context) (string, error) {
				return "", &providers.Error{Code: providers.Throttled, Provider: "p", Status: 429, ProviderCode: "ApplicationThrottled", Message: "slow down"}
			},
			"bad": func(context.Context) (string, error) {
				return "", &providers.OptionError{Field: "x", Problem: "is wrong"}
			},
			"boom": func(context.Context) (string, error) { panic("kaboom") },
		}
		for name, fn := range work {
			if err := global.Set(name, func(goja.FunctionCall) goja.Value {
				return vu.Runtime().ToValue(bindings.Async(vu, fn, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) }))
			}); err != nil {
				return err
			}
		}
		return nil
	}
	f := runtimetest.Run(t, "async.test.js", `
test('resolves', async () => { expect(await ok()).toBe('done'); });
test('provider errors carry their fields', async () => {
  const e = await fails().catch(e => e);
  expect(e).toBeInstanceOf(Error);
  expect([e.code, e.provider, e.status, e.providerCode]).toEqual(['THROTTLED', 'p', 429, 'ApplicationThrottled']);
  expect(e.message).toBe('p: slow down (ApplicationThrottled)');
});
test('option errors are TypeErrors', async () => {
  const e = await bad().catch(e => e);
  expect(e).toBeInstanceOf(TypeError);
  expect(e.message).toContain('option "x": is wrong');
});
test('a panic rejects', async () => {
  const e = await boom().catch(e => e);
  expect(e.message).toContain('internal error (please report it): kaboom');
});
`, runtime.Options{Install: install})
	runtimetest.RequirePassed(t, f)
}

func TestAsyncErrorsPointAtTheCall(t *testing.T) {
	install := func(vu bindings.VU, global *goja.Object) error {
		return global.Set("fails", func(goja.FunctionCall) goja.Value {
			return vu.Runtime().ToValue(bindings.Async(vu, func(context.Context) (string, error) {
				return "", &providers.Error{Code: providers.NotFound, Message: "gone"}
			}, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) }))
		})
	}
	f := runtimetest.Run(t, "site.test.js", "test('t', async () => {\n  const x = 1;\n  await fails();\n});\n", runtime.Options{Install: install})
	if len(f.Tests) != 1 || f.Tests[0].Error == nil {
		t.Fatalf("want one failed test, got %+v", f)
	}
	e := f.Tests[0].Error
	if !strings.HasSuffix(e.Location, "site.test.js:3:9") || e.Name != "Error" || e.Code != "NOT_FOUND" {
		t.Fatalf("error %+v; want it at site.test.js:3:9, named Error with code NOT_FOUND", e)
	}
}
