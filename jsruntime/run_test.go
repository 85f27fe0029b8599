package jsruntime

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// testOptions are the options every fixture runs with: short timeouts, a known environment
// and a binding that panics, standing in for a buggy one.
func testOptions() Options {
	return Options{
		Timeout: 50 * time.Millisecond,
		Env: func(k string) string {
			if k == "MAILSCRIPT_TEST_NAME" {
				return "qa"
			}
			return ""
		},
		Install: func(vu bindings.VU, global *goja.Object) error {
			return global.Set("explode", func() { panic("kaboom") })
		},
	}
}

// outcome renders a file's results one line each: "name: status" and, for failures,
// ": Name: Message @ file:line:col".
func outcome(f report.File) []string {
	line := func(name string, status report.Status, e *report.Error) string {
		s := name + ": " + string(status)
		if e != nil {
			s += ": " + e.Name + ": " + e.Message + " @ " + e.Location
		}
		return s
	}
	var out []string
	if f.Error != nil {
		out = append(out, line("(file)", report.Failed, f.Error))
	}
	for _, t := range f.Tests {
		out = append(out, line(t.FullName(), t.Status, t.Error))
	}
	return out
}

func TestRunFile(t *testing.T) {
	const timeoutHint = "; if it needs longer, raise the limit with --timeout or a timeout argument"
	tests := []struct {
		file string
		want []string
	}{
		{"basic.test.js", []string{
			"passes: passed",
			"fails: failed: Error: nope @ testdata/basic.test.js:8:9",
		}},
		{"modules.test.ts", []string{
			"imports work: passed",
			"error thrown in a helper: failed: RangeError: too heavy: 11 @ testdata/lib/helper.ts:7:11",
			"failed expect: failed: AssertionError: expect(received).toBe(expected) // Object.is equality\n\nExpected: 5\nReceived: 4 @ testdata/modules.test.ts:19:17",
		}},
		{"dir with space/space.test.ts", []string{
			"paths with spaces map back: failed: RangeError: too heavy: 12 @ testdata/lib/helper.ts:7:11",
		}},
		{"linear.test.ts", []string{"linear.test.ts: passed"}},
		{"linear-fail.test.js", []string{
			"linear-fail.test.js: failed: Error: no mail arrived @ testdata/linear-fail.test.js:4:9",
		}},
		{"syntax.test.ts", []string{
			`(file): failed: SyntaxError: Unexpected ";" @ testdata/syntax.test.ts:3:12`,
		}},
		{"nodefs.test.js", []string{
			`(file): failed: ImportError: cannot import "node:fs": scripts run without Node.js built-ins or npm packages; import local files with a relative path like './helpers.ts' @ testdata/nodefs.test.js:1:16`,
		}},
		{"missing-import.test.js", []string{
			`(file): failed: ImportError: Could not resolve "./lib/nothing.js" @ testdata/missing-import.test.js:1:25`,
		}},
		{"hooks.test.js", []string{
			"first: passed",
			"outer > second: passed",
			"outer > inner > third: passed",
			"broken setup > not run: failed: Error: in the beforeAll hook: setup failed @ testdata/hooks.test.js:23:27",
			"broken setup > skipped anyway: skipped",
			"failing afterEach > body passes: failed: Error: in the afterEach hook: cleanup failed @ testdata/hooks.test.js:30:27",
			"sees the order: passed",
		}},
		{"only.test.js", []string{
			"not only: skipped",
			"only one: passed",
			"only block > inside only: passed",
			"only block > skipped inside only: skipped",
			"skipped block > only inside skip: skipped",
		}},
		{"timeout.test.js", []string{
			"busy loop: failed: TimeoutError: test timed out after 50ms" + timeoutHint + " @ testdata/timeout.test.js:3:18",
			"interval keeps it waiting: failed: TimeoutError: test timed out after 50ms" + timeoutHint + " @ testdata/timeout.test.js:5:1",
			"never settles: failed: Error: test never finished: it awaits a promise that nothing is left to settle (no timer or pending operation) @ testdata/timeout.test.js:9:1",
			"per-test timeout: failed: TimeoutError: test timed out after 20ms" + timeoutHint + " @ testdata/timeout.test.js:12:1",
			"still works afterwards: passed",
		}},
		{"rejection.test.js", []string{
			"forgotten rejection: failed: TypeError: unhandled promise rejection: nobody caught me @ testdata/rejection.test.js:2:18",
			"handled rejection is fine: passed",
			"throw in a timer: failed: Error: timer threw @ testdata/rejection.test.js:10:28",
		}},
		{"unawaited.test.js", []string{
			"(file): failed: Error: expect(...).rejects was not awaited: " + unawaitedHint("rejects") + " @ testdata/unawaited.test.js:16:59",
			"forgotten resolves: failed: Error: expect(...).resolves was not awaited: " + unawaitedHint("resolves") + " @ testdata/unawaited.test.js:2:42",
			"forgotten rejects: failed: Error: expect(...).rejects was not awaited: " + unawaitedHint("rejects") + " @ testdata/unawaited.test.js:5:70",
			"awaited is fine: passed",
			"returned is fine: passed",
			"settled in time but failing: failed: AssertionError: unhandled promise rejection: expect(received).resolves.toBe(expected) // Object.is equality\n\nExpected: 2\nReceived: 1 @ testdata/unawaited.test.js:12:39",
			"setup > runs: passed",
		}},
		{"throws.test.js", []string{
			"string: failed: Error: non-Error value thrown: 'just a string' @ testdata/throws.test.js:2:3",
			"object: failed: Error: non-Error value thrown: { code: 42 } @ testdata/throws.test.js:5:3",
			"async string: failed: Error: non-Error value thrown: 'async string' @ testdata/throws.test.js:7:1",
			"recursion: failed: RangeError: Maximum call stack size exceeded (is there a runaway recursion?) @ testdata/throws.test.js:11:29",
			"panic in a binding: failed: InternalError: internal error (a bug in mailscript, please report it): panic: kaboom @ testdata/throws.test.js:14:1",
			"after the panic: passed",
		}},
		{"declare.test.js", []string{
			`(file): failed: TypeError: test("needs a function"): the test function is missing; write test("needs a function", async () => { ... }) @ testdata/declare.test.js:1:1`,
		}},
		{"expect-outside.test.js", []string{
			"(file): failed: Error: expect() was called outside of a test: call it inside test(...), a hook or a linear script @ testdata/expect-outside.test.js:2:1",
		}},
		{"nested-declare.test.js", []string{
			"declares inside: failed: TypeError: test() cannot be called while a test or hook runs: declare it at the top level or inside describe() @ testdata/nested-declare.test.js:2:3",
		}},
		{"async-describe.test.js", []string{
			`(file): failed: TypeError: describe("async describe"): the callback returned a promise; describe callbacks must be synchronous, put async set-up in beforeAll() @ testdata/async-describe.test.js:2:1`,
		}},
		{"globals.test.js", []string{
			"env reads: passed",
			"env is read-only: failed: TypeError: env is read-only: cannot set env.MAILSCRIPT_TEST_NAME; set it in the environment or in the --env-file file @ testdata/globals.test.js:6:7",
			"open text and bytes: passed",
			`open missing file: failed: Error: open: cannot read "fixtures/missing.txt" (` + absTestdata(t) + `/fixtures/missing.txt): no such file or directory; relative paths start from the script's folder @ testdata/globals.test.js:16:3`,
			"timers: passed",
			`bad sleep: failed: TypeError: sleep(duration): "soon" is not a duration: use forms like '500ms', '2s', '1m30s' or a number of milliseconds @ testdata/globals.test.js:32:9`,
		}},
		{"missing.test.js", []string{"(file): failed: Error: cannot read testdata/missing.test.js: no such file @ "}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := RunFile(context.Background(), "testdata/"+tt.file, testOptions(), nil)
			if f.File != "testdata/"+tt.file {
				t.Errorf("File = %q, want %q", f.File, "testdata/"+tt.file)
			}
			got := outcome(f)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("results:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func absTestdata(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestForbidOnly fails a file that focuses tests instead of running it, naming each .only.
func TestForbidOnly(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.ForbidOnly = true
	f := RunFile(context.Background(), "testdata/only.test.js", opts, nil)
	want := "(file): failed: Error: focused tests are not allowed on CI (CI is set) or with --forbid-only: remove " +
		"test.only at testdata/only.test.js:2:6, describe.only at testdata/only.test.js:3:10, test.only at testdata/only.test.js:8:8" +
		" so that every test runs @ testdata/only.test.js:2:6"
	if got := outcome(f); len(got) != 1 || got[0] != want {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

func unawaitedHint(what string) string {
	return "its promise was still pending when the test ended; write await expect(...)." + what + ".toBe(...) (or return it) so that the test waits for the verdict"
}

// TestRetries runs a failed test again with its hooks; one that then passes is flaky, and
// every failed attempt's error is kept.
func TestRetries(t *testing.T) {
	t.Parallel()
	opts := testOptions()
	opts.Retries = 2
	f := RunFile(context.Background(), "testdata/retry.test.js", opts, nil)
	want := []string{
		"passes on the third attempt: passed",
		"always fails: failed: Error: still broken @ testdata/retry.test.js:10:36",
		"passes at once: passed",
		"hooks ran around each attempt: passed",
	}
	if got := outcome(f); !slices.Equal(got, want) {
		t.Fatalf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var retried []string
	for _, tc := range f.Tests {
		for _, e := range tc.Retries {
			retried = append(retried, tc.Name+": "+e.Message+" @ "+e.Location)
		}
	}
	wantRetried := []string{
		"passes on the third attempt: attempt 1 failed @ testdata/retry.test.js:8:23",
		"passes on the third attempt: attempt 2 failed @ testdata/retry.test.js:8:23",
		"always fails: still broken @ testdata/retry.test.js:10:36",
		"always fails: still broken @ testdata/retry.test.js:10:36",
	}
	if !slices.Equal(retried, wantRetried) {
		t.Errorf("retried attempts:\n%s\nwant:\n%s", strings.Join(retried, "\n"), strings.Join(wantRetried, "\n"))
	}
	if flaky := []bool{f.Tests[0].Flaky(), f.Tests[1].Flaky(), f.Tests[2].Flaky()}; !slices.Equal(flaky, []bool{true, false, false}) {
		t.Errorf("flaky = %v, want only the first", flaky)
	}
	if out := f.Tests[0].Output; out != "attempt 1\nattempt 2\nattempt 3\n" {
		t.Errorf("output of the flaky test = %q, want every attempt's", out)
	}
	if s := report.Summarize([]report.File{f}, 0); s.Flaky != 1 || s.Passed != 2 || s.Failed != 1 {
		t.Errorf("summary = %+v, want 1 flaky, 2 passed, 1 failed", s)
	}
}

// TestDisplayPath: results name a file relative to the working folder when it is inside,
// whatever its name starts with, and by its absolute path when it is outside.
func TestDisplayPath(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	work := filepath.Join(root, "work")
	tests := []struct{ path, want string }{
		{filepath.Join(work, "a.test.js"), "a.test.js"},
		{filepath.Join(work, "sub", "b.test.js"), filepath.Join("sub", "b.test.js")},
		{filepath.Join(work, "..c.test.js"), "..c.test.js"},
		{filepath.Join(work, "..data", "d.test.js"), filepath.Join("..data", "d.test.js")},
		{filepath.Join(root, "other", "e.test.js"), filepath.Join(root, "other", "e.test.js")},
	}
	for _, tt := range tests {
		if err := os.MkdirAll(filepath.Dir(tt.path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(tt.path, []byte("test('x', () => {});\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f := RunFile(context.Background(), tt.path, Options{WorkDir: work}, nil)
		if f.File != tt.want || f.Error != nil {
			t.Errorf("%s: shown as %q (error %v), want %q", tt.path, f.File, f.Error, tt.want)
		}
	}
	if got := (&VM{workDir: work}).display(root); got != root {
		t.Errorf("the working folder's parent shown as %q, want %q", got, root)
	}
}
