package mail

import (
	"context"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/runtime"
	"github.com/mailscript/mailscript/runtime/runtimetest"
)

// TestCallErrorsCarryTheirFields checks what a script catches from a failed mail call: the
// provider's code and details, a TypeError for a bad option, and a context's end as a code.
func TestCallErrorsCarryTheirFields(t *testing.T) {
	install := func(vu bindings.VU, global *goja.Object) error {
		work := map[string]func(context.Context) (string, error){
			"fails": func(context.Context) (string, error) {
				return "", &providers.Error{Code: providers.Throttled, Provider: "p", Status: 429, ProviderCode: "ApplicationThrottled", Message: "slow down"}
			},
			"bad": func(context.Context) (string, error) {
				return "", &providers.OptionError{Field: "x", Problem: "is wrong"}
			},
			"expires": func(context.Context) (string, error) { return "", context.DeadlineExceeded },
		}
		for name, fn := range work {
			if err := global.Set(name, func(goja.FunctionCall) goja.Value {
				return vu.Runtime().ToValue(async(vu, fn, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) }))
			}); err != nil {
				return err
			}
		}
		return nil
	}
	f := runtimetest.Run(t, "errors.test.js", `
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
test('an expired context is a TIMEOUT', async () => {
  const e = await expires().catch(e => e);
  expect(e.code).toBe('TIMEOUT');
});
`, runtime.Options{Install: install})
	runtimetest.RequirePassed(t, f)
}
