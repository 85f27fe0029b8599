package repl

import (
	"testing"

	"github.com/dop251/goja"
)

func TestPrepareIncomplete(t *testing.T) {
	cases := []struct {
		src        string
		incomplete bool
	}{
		{"function f() {", true},
		{"foo({", true},
		{"const m = await box.waitFor({", true},
		{"foo(await x,", true},
		{"`abc", true},
		{"/* comment", true},
		{"1 +", true},
		{"'abc", false},
		{"1 +* 2", false},
		{"const x = 1", false},
		{"(await x).y", false},
	}
	for _, c := range cases {
		if got := prepare(c.src).incomplete; got != c.incomplete {
			t.Errorf("prepare(%q).incomplete = %v, want %v", c.src, got, c.incomplete)
		}
	}
}

// TestPrepareRuns evaluates lines in one goja runtime the way the REPL does: declarations of
// one line are seen by the next, and an awaited line's value is its last expression.
func TestPrepareRuns(t *testing.T) {
	rt := goja.New()
	if _, err := rt.RunString(`globalThis.later = v => Promise.resolve(v)`); err != nil {
		t.Fatal(err)
	}
	steps := []struct{ src, want string }{
		{"const a = await later(2)", "undefined"},
		{"a * 21", "42"},
		{"(await later([1, 2, 3])).length", "3"},
		{"let {x, y: [z]} = await later({x: 1, y: [5]}), w = 3; x + z + w", "9"},
		{"x + z", "6"},
		{"var v = await later('v'); v", "v"},
		{"function twice(n) { return 2 * n }\nclass Box { get n() { return 7 } }\nawait later(twice(new Box().n))", "14"},
		{"twice(a)", "4"},
		{"{ a: 1 }.a", "1"},
		{"{ a: 1 }", "[object Object]"},
		{"const obj = await later({\n  k: 'v',\n})\nobj.k", "v"},
		// esbuild drops side-effect-free expressions from its printing: the value stays.
		{"await later(1); 'a' + 'b'", "ab"},
		{"await later(1); ('x' + 'y');", "xy"},
	}
	for _, s := range steps {
		p := prepare(s.src)
		if p.incomplete {
			t.Fatalf("prepare(%q) is incomplete", s.src)
		}
		v, err := rt.RunString(p.code)
		if err != nil {
			t.Fatalf("running %q as %q: %v", s.src, p.code, err)
		}
		if got := settle(t, rt, v); got != s.want {
			t.Errorf("%q gave %q, want %q (code %q)", s.src, got, s.want, p.code)
		}
	}
}

// settle runs the job queue (goja runs it after RunString) and reads a promise's value.
func settle(t *testing.T, rt *goja.Runtime, v goja.Value) string {
	t.Helper()
	if p, ok := v.Export().(*goja.Promise); ok {
		if p.State() != goja.PromiseStateFulfilled {
			t.Fatalf("promise %v: %v", p.State(), p.Result())
		}
		return p.Result().String()
	}
	return v.String()
}
