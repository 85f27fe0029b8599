package expect

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func newRuntime(t *testing.T, opts Options) *goja.Runtime {
	t.Helper()
	rt := goja.New()
	must(rt.Set("expect", New(rt, opts).Func()))
	return rt
}

// caught runs src, which must throw, in a script named user.test.js and returns the thrown object.
func caught(t *testing.T, rt *goja.Runtime, src string) *goja.Object {
	t.Helper()
	v, err := rt.RunScript("user.test.js", "(() => { try { "+src+" } catch (e) { return e } throw new Error('did not throw') })()")
	if err != nil {
		t.Fatal(err)
	}
	return v.(*goja.Object)
}

func TestAssertionErrorShape(t *testing.T) {
	rt := newRuntime(t, Options{})
	e := caught(t, rt, "\nexpect({ a: 1, b: [1, 2] }).toEqual({ a: 1, b: [1, 3] })")
	if ok, _ := rt.RunString("Error"); !rt.InstanceOf(e, ok.(*goja.Object)) {
		t.Error("failure is not instanceof Error")
	}
	want := map[string]string{
		"name":        "AssertionError",
		"matcherName": "toEqual",
		"expected":    "{ a: 1, b: [ 1, 3 ] }",
		"received":    "{ a: 1, b: [ 1, 2 ] }",
		"diff":        "- Expected  - 1\n+ Received  + 1\n\n  {\n    a: 1,\n    b: [\n      1,\n-     3\n+     2\n    ]\n  }",
	}
	for k, v := range want {
		if got := e.Get(k).String(); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	stack := e.Get("stack").String()
	if !strings.HasPrefix(stack, "AssertionError: expect(received).toEqual(expected)") || !strings.Contains(stack, "user.test.js:2:") {
		t.Errorf("stack does not start with the assertion and point at line 2 of the script:\n%s", stack)
	}
	if keys := e.Keys(); strings.Contains(strings.Join(keys, ","), "name") {
		t.Errorf("name should not be enumerable: %v", keys)
	}
}

func TestAsyncFailureStackPointsAtCallSite(t *testing.T) {
	rt := newRuntime(t, Options{})
	_, err := rt.RunScript("async.test.js", "var p = Promise.resolve(1);\nvar r = expect(p).resolves.toBe(2); r.catch(e => { globalThis.failure = e })")
	if err != nil {
		t.Fatal(err)
	}
	e, ok := rt.Get("failure").(*goja.Object)
	if !ok {
		t.Fatal("promise did not reject")
	}
	if stack := e.Get("stack").String(); !strings.HasPrefix(stack, "AssertionError: ") || !strings.Contains(stack, "async.test.js:2:") {
		t.Errorf("stack does not point at the expect call on line 2:\n%s", stack)
	}
}

func TestOutsideTest(t *testing.T) {
	inTest := false
	rt := newRuntime(t, Options{InTest: func() bool { return inTest }})
	e := caught(t, rt, "expect(1).toBe(1)")
	if msg := e.Get("message").String(); !strings.Contains(msg, "outside of a test") {
		t.Errorf("message = %q", msg)
	}
	inTest = true
	if _, err := rt.RunString("expect(1).toBe(1)"); err != nil {
		t.Errorf("inside a test: %v", err)
	}
}

func TestColors(t *testing.T) {
	rt := newRuntime(t, Options{Colors: true})
	msg := caught(t, rt, "expect(2).toBe(3)").Get("message").String()
	want := "expect(received).toBe(expected) // Object.is equality\n\nExpected: \x1b[32m3\x1b[39m\nReceived: \x1b[31m2\x1b[39m"
	if msg != want {
		t.Errorf("got %q\nwant %q", msg, want)
	}
}

func TestLongStringDiff(t *testing.T) {
	rt := newRuntime(t, Options{})
	e := caught(t, rt, "expect('Hello\\nworld\\nbye').toEqual('Hello\\nWorld\\nbye')")
	want := "- Expected  - 1\n+ Received  + 1\n\n  Hello\n- World\n+ world\n  bye"
	if got := e.Get("diff").String(); got != want {
		t.Errorf("diff = %q, want %q", got, want)
	}
}

func TestDiffElidesLongUnchangedRuns(t *testing.T) {
	a := make([]string, 30)
	b := make([]string, 30)
	for i := range a {
		a[i] = string(rune('a' + i%26))
		b[i] = a[i]
	}
	b[15] = "changed"
	got := (&Expect{}).diffLines(a, b)
	if !strings.Contains(got, "  ...\n") || strings.Count(got, "\n  ") > 2*diffContext+2 {
		t.Errorf("unchanged runs not elided:\n%s", got)
	}
}

func BenchmarkToEqualPass(b *testing.B) {
	rt := goja.New()
	must(rt.Set("expect", New(rt, Options{}).Func()))
	prog := goja.MustCompile("bench.js", `expect({ id: 'x', to: [{ address: 'a@b' }], n: 1 }).toEqual({ id: 'x', to: [{ address: 'a@b' }], n: 1 })`, false)
	for b.Loop() {
		if _, err := rt.RunProgram(prog); err != nil {
			b.Fatal(err)
		}
	}
}
