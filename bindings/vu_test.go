package bindings_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
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
	f := jsruntimetest.Run(t, "async.test.js", `
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
`, jsruntime.Options{Install: install})
	jsruntimetest.RequirePassed(t, f)
}

// TestAsyncErrorsPointAtTheCall checks that a failed call is reported at the script's line
// that made it: through the source map of a TypeScript file in a folder with a space, and
// from the frames the error keeps, not its stack text, which a script may rewrite.
func TestAsyncErrorsPointAtTheCall(t *testing.T) {
	install := func(vu bindings.VU, global *goja.Object) error {
		return global.Set("fails", func(goja.FunctionCall) goja.Value {
			return vu.Runtime().ToValue(bindings.Async(vu, func(context.Context) (string, error) {
				return "", &coded{code: "NOT_FOUND"}
			}, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) }))
		})
	}
	tests := []struct{ name, src, want string }{
		{"site.test.js", "test('t', async () => {\n  const x = 1;\n  await fails();\n});\n", "site.test.js:3:9"},
		{"dir with space/site.test.ts", "interface Box {\n  id: string;\n}\ntest('t', async () => {\n  const b: Box = { id: 'x' };\n  await fails();\n});\n",
			"dir with space/site.test.ts:6:9"},
		{"rewritten.test.js", "test('t', async () => {\n  await fails().catch(e => { e.stack = 'Error: gone\\n    at elsewhere.js:9:9(1)'; throw e; });\n});\n",
			"rewritten.test.js:2:9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.src), 0o600); err != nil {
				t.Fatal(err)
			}
			f := jsruntime.RunFile(context.Background(), path, jsruntime.Options{Install: install, WorkDir: dir}, nil)
			if len(f.Tests) != 1 || f.Tests[0].Error == nil {
				t.Fatalf("want one failed test, got %+v", f)
			}
			e := f.Tests[0].Error
			if !strings.HasSuffix(e.Location, tt.want) || e.Name != "Error" || e.Code != "NOT_FOUND" {
				t.Fatalf("error %+v; want it at %s, named Error with code NOT_FOUND", e, tt.want)
			}
		})
	}
}
