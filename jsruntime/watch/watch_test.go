package watch

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// fakeSource is file events the test sends by hand.
type fakeSource struct {
	mu     sync.Mutex
	added  []string
	events chan fsnotify.Event
}

func (f *fakeSource) Add(dir string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Contains(f.added, dir) {
		f.added = append(f.added, dir)
	}
	return nil
}
func (f *fakeSource) Events() <-chan fsnotify.Event { return f.events }
func (f *fakeSource) Errors() <-chan error          { return nil }

// harness drives a watch loop in-process: files in a temporary folder, events, the debounce
// clock and keys by hand, and every summary line read back.
type harness struct {
	t       *testing.T
	dir     string
	src     *fakeSource
	keys    chan byte
	afters  chan chan time.Time
	lines   chan string
	mu      sync.Mutex
	ran     [][]string // the files of each run, relative to dir
	current []string
	started chan string // names of tests as they start
	done    chan error
}

// signalStarts reports each test's start on a channel, so a test can act while another runs.
type signalStarts struct {
	report.Reporter
	started chan string
}

func (s signalStarts) TestStarted(file string, t report.Test) {
	select {
	case s.started <- t.Name:
	default:
	}
	s.Reporter.TestStarted(file, t)
}

func newHarness(t *testing.T, files map[string]string) *harness {
	h := &harness{
		t: t, dir: t.TempDir(),
		src:     &fakeSource{events: make(chan fsnotify.Event)},
		keys:    make(chan byte),
		afters:  make(chan chan time.Time, 100),
		lines:   make(chan string, 100),
		started: make(chan string, 100),
		done:    make(chan error, 1),
	}
	for name, src := range files {
		h.write(name, src)
	}
	out, w := io.Pipe()
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "Watch:") || strings.HasPrefix(sc.Text(), "No failed") {
				h.lines <- sc.Text()
			}
		}
	}()
	opts := jsruntime.Options{WorkDir: h.dir, Env: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		<-h.done
		w.Close()
	})
	go func() {
		h.done <- Run(ctx, Options{
			Paths: []string{h.dir},
			Run: func(ctx context.Context, path string, rep report.Reporter) report.File {
				h.mu.Lock()
				rel, _ := filepath.Rel(h.dir, path)
				h.current = append(h.current, rel)
				h.mu.Unlock()
				return jsruntime.RunFile(ctx, path, opts, rep)
			},
			Parallel: 1,
			Reporter: func() report.Reporter {
				return signalStarts{report.NewPretty(io.Discard, report.PrettyOptions{}), h.started}
			},
			Out:    w,
			Source: h.src,
			Keys:   h.keys,
			Ignore: []string{filepath.Join(h.dir, "report.json")},
			After: func(time.Duration) <-chan time.Time {
				c := make(chan time.Time, 1)
				h.afters <- c
				return c
			},
		})
	}()
	return h
}

func (h *harness) write(name, src string) {
	p := filepath.Join(h.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// save sends the events of a save of each name and lets them settle.
func (h *harness) save(op fsnotify.Op, names ...string) {
	var last chan time.Time
	for _, n := range names {
		h.src.events <- fsnotify.Event{Name: filepath.Join(h.dir, n), Op: op}
		last = <-h.afters
	}
	last <- time.Now()
}

// summary waits for the next summary line and returns it with the files run since the last.
func (h *harness) summary() (string, []string) {
	h.t.Helper()
	select {
	case line := <-h.lines:
		h.mu.Lock()
		defer h.mu.Unlock()
		ran := h.current
		h.current = nil
		slices.Sort(ran)
		return line, ran
	case err := <-h.done:
		h.t.Fatalf("watch ended: %v", err)
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		h.t.Fatal("no summary line came")
	}
	return "", nil
}

func (h *harness) expect(wantLine string, wantRan ...string) {
	h.t.Helper()
	line, ran := h.summary()
	if !strings.HasPrefix(line, wantLine) || !slices.Equal(ran, wantRan) {
		h.t.Errorf("summary %q after running %q; want %q after %q", line, ran, wantLine, wantRan)
	}
}

const (
	helper  = "export const double = n => 2 * n\n"
	usesLib = "import { double } from './lib/math.js'\ntest('doubles', () => expect(double(2)).toBe(4))\n"
	plain   = "test('adds', () => expect(1 + 1).toBe(2))\n"
)

func TestWatchReruns(t *testing.T) {
	h := newHarness(t, map[string]string{
		"lib/math.js":    helper,
		"a.test.js":      usesLib,
		"b.test.js":      plain,
		"node_modules/x": "",
	})
	h.expect("Watch: 2 passed in 2 files", "a.test.js", "b.test.js")

	// A changed helper re-runs the test files that import it, and only those.
	h.write("lib/math.js", "export const double = n => 3 * n\n")
	h.save(fsnotify.Write, "lib/math.js")
	h.expect("Watch: 1 failed, 1 passed in 2 files", "a.test.js")

	// f runs the failed files; a changed test file re-runs itself.
	h.keys <- 'f'
	h.expect("Watch: 1 failed, 1 passed", "a.test.js")
	h.write("lib/math.js", helper)
	h.write("b.test.js", plain+"test('more', () => {})\n")
	h.save(fsnotify.Write, "b.test.js", "b.test.js", "lib/math.js") // several events, one run
	h.expect("Watch: 3 passed in 2 files", "a.test.js", "b.test.js")
	h.keys <- 'f'
	if line, _ := h.summary(); line != "No failed test files to run." {
		t.Errorf("f with nothing failing: %q", line)
	}

	// A new test file in a new folder runs; Enter re-runs the latest run.
	h.write("deep/c.test.js", plain)
	h.save(fsnotify.Create, "deep")
	h.expect("Watch: 4 passed in 3 files", "deep/c.test.js")
	h.src.mu.Lock()
	if !slices.Contains(h.src.added, filepath.Join(h.dir, "deep")) {
		t.Errorf("the new folder is not watched: %q", h.src.added)
	}
	h.src.mu.Unlock()
	h.keys <- '\n'
	h.expect("Watch: 4 passed in 3 files", "deep/c.test.js")

	// A syntax error shows as a failed file; fixing it runs it again.
	h.write("b.test.js", "test('broken', () => {\n")
	h.save(fsnotify.Write, "b.test.js")
	h.expect("Watch: 1 failed, 2 passed in 3 files", "b.test.js")

	// Saving by rename: remove then create, one run. Deleting leaves the summary.
	h.write("b.test.js", plain)
	h.src.events <- fsnotify.Event{Name: filepath.Join(h.dir, "b.test.js"), Op: fsnotify.Rename}
	<-h.afters
	h.save(fsnotify.Create, "b.test.js")
	h.expect("Watch: 3 passed in 3 files", "b.test.js")
	if err := os.Remove(filepath.Join(h.dir, "deep/c.test.js")); err != nil {
		t.Fatal(err)
	}
	h.save(fsnotify.Remove, "deep/c.test.js")
	h.expect("Watch: 2 passed in 2 files")

	// a runs everything; ignored paths never trigger.
	h.keys <- 'a'
	h.expect("Watch: 2 passed in 2 files", "a.test.js", "b.test.js")
	for _, p := range []string{"node_modules/x.js", ".git/index", "report.json", "notes.txt"} {
		h.src.events <- fsnotify.Event{Name: filepath.Join(h.dir, p), Op: fsnotify.Write}
	}
	select {
	case <-h.afters:
		t.Error("an ignored path started the debounce")
	default:
	}
	h.keys <- 'q'
	if err := <-h.done; err != nil {
		t.Errorf("watch ended with %v", err)
	}
	h.done <- nil // for the cleanup
}

// TestWatchMissingHelper: a test file that imports a helper not written yet runs again when the
// helper appears, and from then on when the helper changes.
func TestWatchMissingHelper(t *testing.T) {
	h := newHarness(t, map[string]string{
		"e.test.js": "import { double } from './lib/three.js'\ntest('doubles', () => expect(double(2)).toBe(4))\n",
		"b.test.js": plain,
	})
	h.expect("Watch: 1 failed, 1 passed in 2 files", "b.test.js", "e.test.js")

	h.write("lib/three.js", helper)
	h.save(fsnotify.Create, "lib")
	h.expect("Watch: 2 passed in 2 files", "e.test.js")

	h.write("lib/three.js", "export const double = n => 3 * n\n")
	h.save(fsnotify.Write, "lib/three.js")
	h.expect("Watch: 1 failed, 1 passed in 2 files", "e.test.js")
	h.keys <- 'q'
	if err := <-h.done; err != nil {
		t.Errorf("watch ended with %v", err)
	}
	h.done <- nil // for the cleanup
}

// TestWatchCancelsRun: a save while a run is in progress stops it and runs its files again
// with the newly affected ones.
func TestWatchCancelsRun(t *testing.T) {
	h := newHarness(t, map[string]string{
		"slow.test.js": "test('waits', async () => { await sleep(globalThis.wait ?? 0) })\n",
		"b.test.js":    plain,
	})
	h.expect("Watch: 2 passed in 2 files", "b.test.js", "slow.test.js")

	for len(h.started) > 0 { // forget the starts of the first run
		<-h.started
	}
	h.write("slow.test.js", "test('waits', () => sleep('1h'))\n")
	h.save(fsnotify.Write, "slow.test.js")
	// Wait until the slow test is running (its file compiled), so rewriting it cannot be read
	// half-written by that run.
	for name := ""; name != "waits"; {
		select {
		case name = <-h.started:
		case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
			t.Fatal("the slow test never started")
		}
	}
	h.write("slow.test.js", plain)
	h.save(fsnotify.Write, "b.test.js")
	line, ran := h.summary()
	if !strings.HasPrefix(line, "Watch: 2 passed in 2 files") || !slices.Equal(ran, []string{"b.test.js", "slow.test.js", "slow.test.js"}) {
		t.Errorf("summary %q after running %q", line, ran)
	}
}

// TestWatchKeepsNoTimelines: between runs the watcher keeps each file's result for the
// summary without its tests' timelines (their message bytes were the reporters'), and leaves
// the reporters' copy whole.
func TestWatchKeepsNoTimelines(t *testing.T) {
	t.Parallel()
	w := &watcher{opts: Options{Out: io.Discard}, g: graph{imports: map[string][]string{"a.test.js": nil}}, results: map[string]report.File{}}
	steps := []report.Step{{Kind: "mail", Name: "read"}}
	ran := report.File{File: "a.test.js", Tests: []report.Test{{Name: "t", Status: report.Failed, Steps: steps}}}
	w.finish(&batch{cancel: func() {}, started: time.Now(), results: map[string]report.File{"a.test.js": ran}})
	kept := w.results["a.test.js"]
	if len(kept.Tests) != 1 || kept.Tests[0].Status != report.Failed || kept.Tests[0].Steps != nil {
		t.Errorf("kept %+v; want the failed test without its steps", kept.Tests)
	}
	if ran.Tests[0].Steps == nil {
		t.Error("the reporters' result lost its steps")
	}
}
