package jsfmt

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestGojaSpecifics covers what Node cannot record: the mailscript.inspect hook, goja's own
// stacks and values that would make util.inspect throw.
func TestGojaSpecifics(t *testing.T) {
	cases := []struct {
		name, expr, want string
	}{
		{"hook string", `({ [Symbol.for('mailscript.inspect')]() { return 'Secret(***)' }, key: 'hunter2' })`, "Secret(***)"},
		{"hook nested", `({ token: { [Symbol.for('mailscript.inspect')]() { return '<redacted>' } } })`, "{ token: <redacted> }"},
		{"hook value", `({ [Symbol.for('mailscript.inspect')]() { return { id: 1 } } })`, "{ id: 1 }"},
		{"hook multiline indented", `({ m: { [Symbol.for('mailscript.inspect')]() { return 'a\nb' } } })`, "{\n  m: a\n  b\n}"},
		{"hook throws", `({ [Symbol.for('mailscript.inspect')]() { throw new Error('nope') } })`, "<Inspection threw (nope)>"},
		{"hook on prototype skipped", `class M { [Symbol.for('mailscript.inspect')]() { return 'M!' } }; [new M(), M.prototype]`, "[ M!, {} ]"},
		{"throwing tag getter", `({ x: Object.defineProperty({}, Symbol.toStringTag, { get() { throw new Error('tag') } }) })`, "{ x: <Inspection threw (tag)> }"},
		{"goja stack", `function thrower() { return new Error('deep') }; thrower()`, "Error: deep\n\tat thrower (<eval>:1:30(3))\n\tat <eval>:1:58(5)"},
		{"goja stack with props", `Object.assign(new Error('x'), { code: 'E' })`, "Error: x\n\tat <eval>:1:16(4) {\n  code: 'E'\n}"},
		{"promise rejected error", `(p => (p.catch(() => {}), p))(Promise.reject(Object.assign(new Error('r'), { stack: undefined })))`, "Promise { <rejected> [Error: r] }"},
		{"proxy of function", `new Proxy(function target() {}, {})`, "[Function: target]"},
		{"throwing constructor getter", `Object.create(Object.defineProperty({}, 'constructor', { get() { throw 1 } }))`, "{}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := goja.New()
			if got := Format(rt, eval(t, rt, tc.expr), Options{}); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestGoValues(t *testing.T) {
	type user struct {
		Name string
		Tags []string
	}
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"map", map[string]any{"a": 1}, "{ a: 1 }"},
		{"slice", []int{1, 2}, "[ 1, 2 ]"},
		{"struct", user{Name: "n", Tags: []string{"t"}}, "{ Name: 'n', Tags: [ 't' ] }"},
		{"nil", nil, "null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := goja.New()
			if got := Format(rt, rt.ToValue(tc.v), Options{}); got != tc.want {
				t.Errorf("got %q want %q", got, tc.want)
			}
		})
	}
}

func TestDeepStructureUnlimitedDepth(t *testing.T) {
	rt := goja.New()
	v := eval(t, rt, `let o = {}; for (let i = 0; i < 500; i++) o = { o }; o`)
	got := Format(rt, v, Options{Depth: -1})
	if n := strings.Count(got, "o:"); n != 500 {
		t.Errorf("got %d levels, want 500", n)
	}
}

func BenchmarkFormatObject(b *testing.B) {
	rt := goja.New()
	v, err := rt.RunString(`({ id: 'AAMkAG', subject: 'Reset your password', from: { name: 'No Reply', address: 'no-reply@example.com' },
		to: [{ name: 'QA', address: 'qa@example.com' }], receivedAt: new Date(0), isRead: false, links: ['https://example.com/reset?token=abc'],
		headers: new Map([['message-id', '<x@y>'], ['content-type', 'text/html']]), body: new Uint8Array(64) })`)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		Format(rt, v, Options{})
	}
}
