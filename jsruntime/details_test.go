package jsruntime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/jsruntime/report"
)

func TestErrorDetails(t *testing.T) {
	tests := []struct {
		file, test         string // test "" means the file's error
		wantStack, wantSrc string
	}{
		{"modules.test.ts", "error thrown in a helper",
			"    at check (testdata/lib/helper.ts:7:11)\n    at testdata/modules.test.ts:14:3",
			"  6 |   if (p.weight > 10) {\n> 7 |     throw new RangeError(`too heavy: ${p.weight}`);\n    |           ^"},
		{"syntax.test.ts", "", "",
			"  2 | test('never runs', () => {\n> 3 |   let x = (;\n    |            ^"},
		{"throws.test.js", "recursion",
			"    at down (testdata/throws.test.js:11:29)\n    ... the frame above repeats 9999 more times\n    at testdata/throws.test.js:12:3",
			"  10 | test('recursion', () => {\n> 11 |   function down(n) { return down(n + 1) + 1; }\n     |                             ^"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.test, func(t *testing.T) {
			f := RunFile(context.Background(), "testdata/"+tt.file, testOptions(), nil)
			e := f.Error
			for _, r := range f.Tests {
				if r.Name == tt.test {
					e = r.Error
				}
			}
			if e == nil {
				t.Fatalf("no error for %q in %+v", tt.test, f)
			}
			if e.Stack != tt.wantStack {
				t.Errorf("Stack:\n%s\nwant:\n%s", e.Stack, tt.wantStack)
			}
			if e.Source != tt.wantSrc {
				t.Errorf("Source:\n%s\nwant:\n%s", e.Source, tt.wantSrc)
			}
		})
	}
}

func TestOutput(t *testing.T) {
	var stdout, stderr bytes.Buffer
	opts := testOptions()
	opts.Stdout, opts.Stderr = &stdout, &stderr
	f := RunFile(context.Background(), "testdata/basic.test.js", opts, nil)
	got := []string{f.Output, f.Tests[0].Output, f.Tests[1].Output, stdout.String(), stderr.String()}
	want := []string{"loading\n", "in passes\n", "about to fail\n", "loading\nin passes\n", "about to fail\n"}
	if !slices.Equal(got, want) {
		t.Errorf("file, test outputs, stdout, stderr = %q, want %q", got, want)
	}

	stdout.Reset()
	stderr.Reset()
	opts.Colors = true
	f = RunFile(context.Background(), "testdata/colors.test.js", opts, nil)
	got = []string{f.Tests[0].Output, stdout.String(), stderr.String()}
	want = []string{"n = 42\ncareful\n", "n = \x1b[33m42\x1b[39m\n", "careful\n"}
	if !slices.Equal(got, want) {
		t.Errorf("captured, stdout, stderr = %q, want %q", got, want)
	}
}

func TestGrepAndBail(t *testing.T) {
	tests := []struct {
		name string
		opts func(*Options)
		want []string
	}{
		{"grep on the full name", func(o *Options) { o.Grep = regexp.MustCompile(`^inbox > `) }, []string{
			"inbox > lists mail: passed",
			"inbox > reads mail: failed: Error: read failed @ testdata/grep.test.js:3:36",
		}},
		{"bail", func(o *Options) { o.Bail = true }, []string{
			"inbox > lists mail: passed",
			"inbox > reads mail: failed: Error: read failed @ testdata/grep.test.js:3:36",
			"sends mail: skipped",
			"deletes mail: skipped",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			tt.opts(&opts)
			got := outcome(RunFile(context.Background(), "testdata/grep.test.js", opts, nil))
			if !slices.Equal(got, tt.want) {
				t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestStopRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	opts := testOptions()
	opts.Timeout = time.Minute
	rec := &recorder{onStart: func() { time.AfterFunc(5*time.Millisecond, cancel) }}
	f := RunFile(ctx, "testdata/stop.test.js", opts, rec)
	want := []string{
		"waits long: interrupted: Interrupted: the run was stopped before this finished @ testdata/stop.test.js:1:1",
		"never starts: skipped",
	}
	if got := outcome(f); !slices.Equal(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantEvents := []string{"file testdata/stop.test.js", "start waits long", "end waits long interrupted", "end never starts skipped", "done testdata/stop.test.js"}
	if !slices.Equal(rec.events, wantEvents) {
		t.Errorf("events = %q, want %q", rec.events, wantEvents)
	}
}

// TestGoWorkIsCancelled checks that a timed-out test's Go work sees its context end, and that
// its late callback does not leak into the next test.
func TestGoWorkIsCancelled(t *testing.T) {
	cancelled := make(chan error, 1)
	opts := testOptions()
	opts.Install = func(vu bindings.VU, global *goja.Object) error {
		return global.Set("waitForCancel", func() *goja.Promise {
			return bindings.Async(vu, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				cancelled <- ctx.Err()
				return 0, ctx.Err()
			}, func(rt *goja.Runtime, v int) goja.Value { return rt.ToValue(v) })
		})
	}
	f := RunFile(context.Background(), "testdata/gowork.test.js", opts, nil)
	want := []string{
		"go work outlives the test: failed: TimeoutError: test timed out after 50ms, still waiting for the call below; if it needs longer, raise the limit with --timeout or a timeout argument @ testdata/gowork.test.js:2:9",
		"next test is not disturbed: passed",
	}
	if got := outcome(f); !slices.Equal(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := <-cancelled; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the Go work's context ended with %v, want a deadline", err)
	}
}

func TestEval(t *testing.T) {
	vm, err := NewVM(testOptions())
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct{ src, want string }{
		{"const answer = 41", "undefined"},
		{"answer + 1", "42"},
		{"sleep(1).then(() => answer + 2)", "43"},
		{"env.MAILSCRIPT_TEST_NAME", "qa"},
		{"throw new TypeError('bad input')", "error: TypeError: bad input\n    at <eval>:1:7"},
		{"Promise.reject(new Error('later'))", "error: Error: later\n    at <eval>:1:16"},
		{"answer", "41"},
	}
	for _, s := range steps {
		v, err := vm.Eval(context.Background(), s.src)
		got := fmt.Sprint(v)
		var se *ScriptError
		if errors.As(err, &se) {
			got = "error: " + err.Error()
		} else if err != nil {
			t.Fatalf("Eval(%q) = %v, want a *ScriptError", s.src, err)
		}
		if got != s.want {
			t.Errorf("Eval(%q) = %q, want %q", s.src, got, s.want)
		}
	}
}

func TestCompileImports(t *testing.T) {
	m, err := Compile("testdata/modules.test.ts")
	if err != nil {
		t.Fatal(err)
	}
	dir := absTestdata(t)
	want := []string{
		filepath.Join(dir, "lib/helper.ts"),
		filepath.Join(dir, "lib/math.cjs"),
		filepath.Join(dir, "lib/names.mjs"),
		filepath.Join(dir, "modules.test.ts"),
	}
	if !slices.Equal(m.Imports, want) {
		t.Errorf("Imports = %q, want %q", m.Imports, want)
	}
	if strings.Contains(m.Code, "\nexport ") || !strings.HasPrefix(m.Code, wrapStart) {
		t.Errorf("bundle is not a wrapped script without exports:\n%s", m.Code)
	}
}

// recorder is a Reporter that notes events, calling onStart when a test starts.
type recorder struct {
	events  []string
	onStart func()
}

func (r *recorder) FileStarted(file string) { r.events = append(r.events, "file "+file) }
func (r *recorder) TestStarted(_ string, t report.Test) {
	r.events = append(r.events, "start "+t.FullName())
	if r.onStart != nil {
		r.onStart()
	}
}
func (r *recorder) TestFinished(_ string, t report.Test) {
	r.events = append(r.events, "end "+t.FullName()+" "+string(t.Status))
}
func (r *recorder) FileFinished(f report.File)                   { r.events = append(r.events, "done "+f.File) }
func (r *recorder) Finished([]report.File, report.Summary) error { return nil }
