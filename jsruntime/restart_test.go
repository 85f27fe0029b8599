package jsruntime

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
)

const (
	timedOut = "TimeoutError: test timed out after 50ms; if it needs longer, raise the limit with --timeout or a timeout argument"
	broke    = " was interrupted while running inside an async function, which leaves the JavaScript engine unable to run promise callbacks"
)

// reloaded is the note a file's output gets when cause broke its VM and the file goes on in
// a fresh one.
func reloaded(cause string) string {
	return "mailscript: " + cause + broke + "; the file is loaded again in a fresh engine (its top-level code runs again) for the remaining tests\n"
}

func TestRestartAfterBrokenVM(t *testing.T) {
	tests := []struct {
		file   string
		want   []string
		output string
	}{
		{"restart.test.js", []string{
			"busy: failed: " + timedOut + " @ testdata/restart.test.js:1:14",
			"after: passed",
			"sync after: passed",
		}, reloaded(`test "busy"`)},
		{"restart-hooks.test.js", []string{
			"(file): failed: Error: teardown hooks could not run (afterEach at testdata/restart-hooks.test.js:9:3, afterAll at testdata/restart-hooks.test.js:10:3, afterAll at testdata/restart-hooks.test.js:4:1): " +
				`test "outer > inner > busy"` + broke + " @ testdata/restart-hooks.test.js:9:3",
			"outer > first: passed",
			"outer > inner > busy: failed: " + timedOut + " @ testdata/restart-hooks.test.js:14:40",
			"outer > inner > next: passed",
			"outer > last: passed",
			"top after: passed",
		}, "loading\n" + reloaded(`test "outer > inner > busy"`) + "loading\n" +
			"afterAll saw beforeAll,outer.beforeAll,outer.beforeEach,outer.afterEach,outer.beforeEach,last,outer.afterEach,outer.afterAll\n"},
		{"restart-twice.test.js", []string{
			"one: failed: " + timedOut + " @ testdata/restart-twice.test.js:1:13",
			"between: passed",
			"block > two: failed: " + timedOut + " @ testdata/restart-twice.test.js:4:35",
			"block > skipped: skipped",
			"block > end: passed",
			"last: passed",
		}, reloaded(`test "one"`) + reloaded(`test "block > two"`)},
		{"restart-setup.test.js", []string{
			"(file): failed: Error: teardown hooks could not run (afterAll at testdata/restart-setup.test.js:3:3): " +
				"the beforeAll hook at testdata/restart-setup.test.js:2:3" + broke + " @ testdata/restart-setup.test.js:3:3",
			"stuck setup > needs setup: failed: TimeoutError: beforeAll hook timed out after 50ms; if it needs longer, raise the limit with --timeout or a timeout argument @ testdata/restart-setup.test.js:2:13",
			"stuck beforeEach > body never runs: failed: TimeoutError: beforeEach hook timed out after 50ms; if it needs longer, raise the limit with --timeout or a timeout argument @ testdata/restart-setup.test.js:7:14",
			"stuck teardown > runs: passed",
			"still runs: passed",
		}, reloaded("the beforeAll hook at testdata/restart-setup.test.js:2:3") +
			"mailscript: also failed outside any test: Error: teardown hooks could not run (afterEach at testdata/restart-setup.test.js:8:3): the beforeEach hook at testdata/restart-setup.test.js:7:3" + broke + " @ testdata/restart-setup.test.js:8:3\n" +
			reloaded("the beforeEach hook at testdata/restart-setup.test.js:7:3") +
			"mailscript: also failed outside any test: TimeoutError: afterAll hook timed out after 50ms; if it needs longer, raise the limit with --timeout or a timeout argument @ testdata/restart-setup.test.js:12:12\n" +
			reloaded("the afterAll hook at testdata/restart-setup.test.js:12:3")},
		{"restart-only.test.js", []string{
			"busy: failed: " + timedOut + " @ testdata/restart-only.test.js:1:19",
			"not only: skipped",
			"after: passed",
		}, reloaded(`test "busy"`)},
		{"restart-limit.test.js", []string{
			"busy 1: failed: " + timedOut + " @ testdata/restart-limit.test.js:2:21",
			"busy 2: failed: " + timedOut + " @ testdata/restart-limit.test.js:2:21",
			"busy 3: failed: " + timedOut + " @ testdata/restart-limit.test.js:2:21",
			"busy 4: failed: " + timedOut + " @ testdata/restart-limit.test.js:2:21",
			"busy 5: failed: " + timedOut + " @ testdata/restart-limit.test.js:2:21",
			"busy 6: failed: " + timedOut + " @ testdata/restart-limit.test.js:2:21",
			`after: failed: Error: not run: test "busy 6"` + broke + ", and this file already used the 5 fresh engines a file gets: make the tests that time out finish in time @ testdata/restart-limit.test.js:2:3",
		}, reloaded(`test "busy 1"`) + reloaded(`test "busy 2"`) + reloaded(`test "busy 3"`) + reloaded(`test "busy 4"`) + reloaded(`test "busy 5"`)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := RunFile(context.Background(), "testdata/"+tt.file, testOptions(), nil)
			if got := outcome(f); !slices.Equal(got, tt.want) {
				t.Errorf("results:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if f.Output != tt.output {
				t.Errorf("file output:\n%s\nwant:\n%s", f.Output, tt.output)
			}
		})
	}
}

// TestRestartOutputAndEvents checks that each test's output stays its own across VMs, that
// console output still streams, and that the reporter hears of each test exactly once.
func TestRestartOutputAndEvents(t *testing.T) {
	var stdout bytes.Buffer
	opts := testOptions()
	opts.Stdout = &stdout
	rec := &recorder{}
	f := RunFile(context.Background(), "testdata/restart-hooks.test.js", opts, rec)
	var got []string
	for _, r := range f.Tests {
		got = append(got, r.FullName()+": "+r.Output)
	}
	want := []string{"outer > first: ", "outer > inner > busy: in busy\n", "outer > inner > next: in next\n", "outer > last: ", "top after: "}
	if !slices.Equal(got, want) {
		t.Errorf("test outputs = %q, want %q", got, want)
	}
	const streamed = "loading\nin busy\nloading\nin next\n" +
		"afterAll saw beforeAll,outer.beforeAll,outer.beforeEach,outer.afterEach,outer.beforeEach,last,outer.afterEach,outer.afterAll\n"
	if stdout.String() != streamed {
		t.Errorf("stdout = %q, want %q", stdout.String(), streamed)
	}
	wantEvents := []string{
		"file testdata/restart-hooks.test.js",
		"start outer > first", "end outer > first passed",
		"start outer > inner > busy", "end outer > inner > busy failed",
		"start outer > inner > next", "end outer > inner > next passed",
		"start outer > last", "end outer > last passed",
		"start top after", "end top after passed",
		"done testdata/restart-hooks.test.js",
	}
	if !slices.Equal(rec.events, wantEvents) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(rec.events, "\n"), strings.Join(wantEvents, "\n"))
	}
}

// TestRestartKeepsOptions checks --grep, --bail and a stopped run on a file whose first test
// breaks its VM: only a run with tests left to run gets a fresh VM.
func TestRestartKeepsOptions(t *testing.T) {
	tests := []struct {
		name   string
		opts   func(*Options)
		stop   bool
		want   []string
		events []string
		output string
	}{
		{"grep", func(o *Options) { o.Grep = regexp.MustCompile(`^(busy|sync after)$`) }, false, []string{
			"busy: failed: " + timedOut + " @ testdata/restart.test.js:1:14",
			"sync after: passed",
		}, []string{"start busy", "end busy failed", "start sync after", "end sync after passed"}, reloaded(`test "busy"`)},
		{"bail", func(o *Options) { o.Bail = true }, false, []string{
			"busy: failed: " + timedOut + " @ testdata/restart.test.js:1:14",
			"after: skipped",
			"sync after: skipped",
		}, []string{"start busy", "end busy failed", "end after skipped", "end sync after skipped"}, ""},
		{"stopped run", func(o *Options) { o.Timeout = time.Minute }, true, []string{
			"busy: interrupted: Interrupted: the run was stopped before this finished @ testdata/restart.test.js:1:14",
			"after: skipped",
			"sync after: skipped",
		}, []string{"start busy", "end busy interrupted", "end after skipped", "end sync after skipped"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := testOptions()
			tt.opts(&opts)
			rec := &recorder{}
			if tt.stop {
				rec.onStart = func() { time.AfterFunc(20*time.Millisecond, cancel) }
			}
			f := RunFile(ctx, "testdata/restart.test.js", opts, rec)
			if got := outcome(f); !slices.Equal(got, tt.want) {
				t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if events := rec.events[1 : len(rec.events)-1]; !slices.Equal(events, tt.events) {
				t.Errorf("events = %q, want %q", events, tt.events)
			}
			if f.Output != tt.output {
				t.Errorf("file output = %q, want %q", f.Output, tt.output)
			}
		})
	}
}

// TestRestartImpossible checks that when the file cannot be loaded again as it was, the tests
// left fail with the reason instead of hanging or vanishing.
func TestRestartImpossible(t *testing.T) {
	const cause = `not run: test "busy"` + broke + ", and "
	tests := []struct {
		mode string
		want string
	}{
		{"hang", cause + "loading the file again in a fresh engine failed with TimeoutError: script timed out after 50ms; if it needs longer, raise the limit with --timeout or a timeout argument"},
		{"differ", cause + "loading the file again in a fresh engine declared different tests, so the remaining ones cannot be told apart"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			opts := testOptions()
			opts.Env = func(k string) string {
				if k == "MAILSCRIPT_RELOAD" {
					return tt.mode
				}
				return ""
			}
			loads := 0
			opts.Install = func(vu bindings.VU, global *goja.Object) error {
				loads++
				return global.Set("loads", func() int { return loads })
			}
			f := RunFile(context.Background(), "testdata/restart-reload.test.js", opts, nil)
			want := []string{
				"busy: failed: " + timedOut + " @ testdata/restart-reload.test.js:6:14",
				"after: failed: Error: " + tt.want + " @ testdata/restart-reload.test.js:6:1",
			}
			if got := outcome(f); !slices.Equal(got, want) {
				t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if loads != 2 {
				t.Errorf("the file was loaded %d times, want 2", loads)
			}
		})
	}
}
