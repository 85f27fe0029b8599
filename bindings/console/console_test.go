package console_test

import (
	"bytes"
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
)

func TestConsole(t *testing.T) {
	tests := []struct {
		name, src                            string
		colors                               bool
		wantStdout, wantStderr, wantCaptured string
	}{
		{name: "streams", src: `console.log('a', 1); console.info('b'); console.debug('c'); console.warn('d'); console.error('e')`,
			wantStdout: "a 1\nb\nc\n", wantStderr: "d\ne\n", wantCaptured: "a 1\nb\nc\nd\ne\n"},
		{name: "node formatting", src: `console.log('%s has %d items', 'box', 3, { a: [1, 'x'] }, new Map([[1, 2]]))`,
			wantStdout: "box has 3 items { a: [ 1, 'x' ] } Map(1) { 1 => 2 }\n", wantCaptured: "box has 3 items { a: [ 1, 'x' ] } Map(1) { 1 => 2 }\n"},
		{name: "colours only on the stream", src: `console.log(42, 'str', { ok: true })`, colors: true,
			wantStdout:   "\x1b[33m42\x1b[39m str { ok: \x1b[33mtrue\x1b[39m }\n",
			wantCaptured: "42 str { ok: true }\n"},
		{name: "dir and depth", src: `console.dir({ a: { b: { c: { d: 1 } } } }); console.dir({ a: { b: { c: { d: 1 } } } }, { depth: null })`,
			wantStdout:   "{ a: { b: { c: [Object] } } }\n{\n  a: { b: { c: { d: 1 } } }\n}\n",
			wantCaptured: "{ a: { b: { c: [Object] } } }\n{\n  a: { b: { c: { d: 1 } } }\n}\n"},
		{name: "assert", src: `console.assert(true, 'not shown'); console.assert(false, 'shown', 1); console.assert(0)`,
			wantStderr: "Assertion failed: shown 1\nAssertion failed\n", wantCaptured: "Assertion failed: shown 1\nAssertion failed\n"},
		{name: "trace", src: "function where() {\n  console.trace('here', 1);\n}\nwhere();",
			wantStderr:   "Trace: here 1\n    at where (console.test.js:2:11)\n    at console.test.js:4:1\n",
			wantCaptured: "Trace: here 1\n    at where (console.test.js:2:11)\n    at console.test.js:4:1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			f := jsruntimetest.Run(t, "console.test.js", tt.src, jsruntime.Options{Stdout: &stdout, Stderr: &stderr, Colors: tt.colors})
			jsruntimetest.RequirePassed(t, f)
			got := []string{stdout.String(), stderr.String(), f.Tests[0].Output}
			want := []string{tt.wantStdout, tt.wantStderr, tt.wantCaptured}
			for i, what := range []string{"stdout", "stderr", "captured"} {
				if got[i] != want[i] {
					t.Errorf("%s = %q, want %q", what, got[i], want[i])
				}
			}
		})
	}
}
