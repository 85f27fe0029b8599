package bindings_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/runtime"
	"github.com/mailscript/mailscript/runtime/runtimetest"
)

// coded is a JSError as a binding writes one: it knows the object a script catches.
type coded struct{ code string }

func (c *coded) Error() string { return "coded " + c.code }

func (c *coded) JSError(rt *goja.Runtime) *goja.Object {
	obj := bindings.NewError(rt, c.Error())
	_ = obj.Set("code", c.code)
	return obj
}

// TestAsyncSettlesOnTheLoop checks resolution, error conversion (a JSError anywhere in the
// chain makes its own object) and that a panicking binding rejects the promise instead of
// crashing the process.
func TestAsyncSettlesOnTheLoop(t *testing.T) {
	install := func(vu bindings.VU, global *goja.Object) error {
		work := map[string]func(context.Context) (string, error){
			"ok":    func(context.Context) (string, error) { return "done", nil },
			"plain": func(context.Context) (string, error) { return "", errors.New("it broke") },
			"coded": func(context.Context) (string, error) {
				return "", errors.Join(errors.New("wrapped"), &coded{code: "X_CODE"})
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
test('a Go error is an Error with its message', async () => {
  const e = await plain().catch(e => e);
  expect(e).toBeInstanceOf(Error);
  expect(e.message).toBe('it broke');
  expect(e.code).toBeUndefined();
});
test('a JSError makes its own object', async () => {
  const e = await coded().catch(e => e);
  expect(e).toBeInstanceOf(Error);
  expect([e.code, e.message]).toEqual(['X_CODE', 'coded X_CODE']);
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
				return "", &coded{code: "NOT_FOUND"}
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
