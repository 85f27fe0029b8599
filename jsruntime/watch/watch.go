package watch

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/mailscript/mailscript/jsruntime/discover"
	"github.com/mailscript/mailscript/jsruntime/report"
	"github.com/mailscript/mailscript/jsruntime/schedule"
)

// Source is where file events come from: an *fsnotify.Watcher through FSNotify, or a fake.
type Source interface {
	Add(folder string) error
	Events() <-chan fsnotify.Event
	Errors() <-chan error
}

// Options are everything watch takes from the outside world.
type Options struct {
	Paths    []string         // files and folders to run, as for `mailscript run`
	Run      schedule.RunFile // runs one file
	Parallel int
	// Reporter returns the console reporter of one run (a pretty reporter keeps state per run).
	Reporter func() report.Reporter
	Out      io.Writer // the summary line and messages
	TTY      bool      // Out is a terminal: clear the screen before each run
	Colors   bool
	Source   Source
	// Keys delivers what the user types: a, f, q or Enter (\n). Nil means no keys.
	Keys <-chan byte
	// Ignore lists files never to react to, such as the reports the run writes.
	Ignore []string
	// After starts the debounce wait (default time.After); tests inject their own clock.
	After func(time.Duration) <-chan time.Time
}

// Debounce is how long saves settle before a run: editors write a file in several steps.
const Debounce = 100 * time.Millisecond

type watcher struct {
	opts    Options
	g       graph
	results map[string]report.File // latest result of each test file
	last    []string               // the files of the latest run, for Enter
	ran     int                    // files the latest finished run completed
	took    time.Duration
}

// Run runs the selected test files, then the ones each change affects, until ctx ends or
// the user presses q.
func Run(ctx context.Context, opts Options) error {
	if opts.After == nil {
		opts.After = time.After
	}
	w := &watcher{opts: opts, g: graph{imports: map[string][]string{}}, results: map[string]report.File{}}
	for _, p := range opts.Paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		w.g.roots = append(w.g.roots, abs)
	}
	files, err := discover.Files(opts.Paths)
	if err != nil {
		return err
	}
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		w.g.add(abs)
	}
	for _, root := range w.g.roots {
		if err := w.watchTree(root); err != nil {
			return err
		}
	}
	w.watchImports()
	return w.loop(ctx, w.g.tests())
}

// loop runs one batch of files at a time; a batch in progress is cancelled when newer saves
// settle or a key asks for another run, and its files run again with the new ones.
func (w *watcher) loop(ctx context.Context, first []string) error {
	var (
		changed = map[string]bool{}
		settle  <-chan time.Time
		run     *batch
		next    = first
		keys    = w.opts.Keys
	)
	stop := func() []string {
		if run == nil {
			return nil
		}
		run.cancel()
		<-run.done
		files := run.files
		run = nil
		return files
	}
	for {
		if next != nil && run == nil {
			run = w.start(ctx, next)
			next = nil
		}
		var done <-chan struct{}
		if run != nil {
			done = run.done
		}
		select {
		case <-ctx.Done():
			stop()
			return nil
		case <-done:
			w.finish(run)
			run = nil
		case ev := <-w.opts.Source.Events():
			if w.relevant(ev) {
				changed[filepath.Clean(ev.Name)] = true
				settle = w.opts.After(Debounce)
			}
		case err := <-w.opts.Source.Errors():
			fmt.Fprintf(w.opts.Out, "watch: %v\n", err)
		case <-settle:
			settle = nil
			tests := w.apply(changed)
			changed = map[string]bool{}
			if len(tests) == 0 {
				w.summary()
				continue
			}
			next = union(tests, stop()) // a newer save wins; the interrupted files run again
		case key, ok := <-keys:
			if !ok { // stdin ended: watch on, without keys
				keys = nil
				continue
			}
			tests, quit := w.key(key)
			if quit {
				stop()
				return nil
			}
			if tests != nil {
				stop()
				next = tests
			}
		}
	}
}

// batch is one run in progress.
type batch struct {
	files   []string
	cancel  context.CancelFunc
	done    chan struct{}
	started time.Time
	mu      sync.Mutex
	results map[string]report.File
}

func (w *watcher) start(ctx context.Context, files []string) *batch {
	ctx, cancel := context.WithCancel(ctx)
	b := &batch{files: files, cancel: cancel, done: make(chan struct{}), started: time.Now(), results: map[string]report.File{}}
	w.last = files
	if w.opts.TTY {
		io.WriteString(w.opts.Out, "\x1b[2J\x1b[3J\x1b[H") // clear the screen and its scrollback
	}
	run := func(ctx context.Context, path string, rep report.Reporter) report.File {
		f := w.opts.Run(ctx, path, rep)
		if ctx.Err() == nil { // an interrupted file keeps its previous result
			b.mu.Lock()
			b.results[path] = f
			b.mu.Unlock()
		}
		return f
	}
	go func() {
		defer close(b.done)
		if _, _, err := schedule.Run(ctx, files, schedule.Options{Parallel: w.opts.Parallel}, run, w.opts.Reporter()); err != nil {
			fmt.Fprintf(w.opts.Out, "watch: writing the report: %v\n", err)
		}
	}()
	return b
}

// finish keeps the batch's results and prints the summary line.
func (w *watcher) finish(b *batch) {
	b.cancel()
	for path, f := range b.results {
		if _, known := w.g.imports[path]; known {
			w.results[path] = withoutSteps(f)
		}
	}
	w.took = time.Since(b.started)
	w.ran = len(b.results)
	w.summary()
}

// withoutSteps is f as the watcher keeps it between runs, for the summary and the f key:
// without the tests' timelines, whose messages were the reporters' to write. Kept, each file's
// would add up past the run's budget for them (Options.StepBytes), which every run refills.
func withoutSteps(f report.File) report.File {
	f.Tests = slices.Clone(f.Tests)
	for i := range f.Tests {
		f.Tests[i].Steps = nil
	}
	return f
}

// relevant filters out what can never change a test's outcome.
func (w *watcher) relevant(ev fsnotify.Event) bool {
	p := filepath.Clean(ev.Name)
	if ignored(p) || slices.Contains(w.opts.Ignore, p) || ev.Op == fsnotify.Chmod {
		return false
	}
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return ev.Op.Has(fsnotify.Create)
	}
	return isSource(p)
}

// apply takes settled changes into the graph and returns the test files to run. What is on
// disk now decides, whatever the events were: editors that save by rename send a remove.
func (w *watcher) apply(changed map[string]bool) []string {
	var tests []string
	for p := range changed {
		st, err := os.Stat(p)
		switch {
		case err != nil: // deleted
			w.g.remove(p)
			delete(w.results, p)
			tests = union(tests, w.g.affected(p))
		case st.IsDir(): // a new folder: watch it and run the tests it came with
			if err := w.watchTree(p); err != nil {
				fmt.Fprintf(w.opts.Out, "watch: %v\n", err)
			}
			found, _ := discover.Files([]string{p})
			for _, f := range found {
				if abs, _ := filepath.Abs(f); w.g.isNewTest(abs) {
					w.g.add(abs)
					tests = union(tests, []string{abs})
				}
			}
		default:
			if w.g.isNewTest(p) {
				w.g.add(p)
			}
			affected := w.g.affected(p)
			for _, t := range affected {
				w.g.add(t) // its imports may have changed with this save
			}
			tests = union(tests, affected)
		}
	}
	tests = union(tests, w.g.mended())
	w.watchImports()
	return tests
}

// key acts on a key press: it returns the files to run, or quit.
func (w *watcher) key(k byte) (tests []string, quit bool) {
	switch k {
	case 'q', 'Q', 3, 4: // Ctrl-C and Ctrl-D arrive as keys when the terminal is raw
		return nil, true
	case 'a', 'A':
		return w.g.tests(), false
	case 'f', 'F':
		var failing []string
		for path, f := range w.results {
			if failed(f) {
				failing = append(failing, path)
			}
		}
		if len(failing) == 0 {
			fmt.Fprintln(w.opts.Out, "No failed test files to run.")
			return nil, false
		}
		slices.Sort(failing)
		return failing, false
	case '\n', '\r':
		var again []string
		for _, f := range w.last {
			if _, known := w.g.imports[f]; known {
				again = append(again, f)
			}
		}
		if len(again) == 0 {
			return w.g.tests(), false
		}
		return again, false
	}
	return nil, false
}

// summary prints the one-line state of every watched file's latest result.
func (w *watcher) summary() {
	var all []report.File
	for _, f := range w.results {
		all = append(all, f)
	}
	s := report.Summarize(all, 0)
	var parts []string
	if s.Failed > 0 {
		parts = append(parts, w.paint("31", fmt.Sprintf("%d failed", s.Failed)))
	}
	parts = append(parts, w.paint("32", fmt.Sprintf("%d passed", s.Passed)))
	if s.Skipped > 0 {
		parts = append(parts, w.paint("33", fmt.Sprintf("%d skipped", s.Skipped)))
	}
	fmt.Fprintf(w.opts.Out, "Watch: %s in %d files · last run: %d files in %.2fs\n",
		strings.Join(parts, ", "), len(w.g.imports), w.ran, w.took.Seconds())
	fmt.Fprintln(w.opts.Out, w.paint("2", "Waiting for changes. Press a to run all, f to run failed, Enter to re-run, q to quit."))
}

func (w *watcher) paint(code, s string) string {
	if !w.opts.Colors {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// watchTree watches a folder and every folder below it that is not ignored.
func (w *watcher) watchTree(root string) error {
	st, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return w.opts.Source.Add(filepath.Dir(root))
	}
	return filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case !d.IsDir():
			return nil
		case p != root && ignored(p):
			return filepath.SkipDir
		}
		return w.opts.Source.Add(p)
	})
}

// watchImports watches the folders of helpers outside the given paths too.
func (w *watcher) watchImports() {
	for _, dir := range w.g.folders() {
		if err := w.opts.Source.Add(dir); err != nil {
			fmt.Fprintf(w.opts.Out, "watch: %v\n", err)
		}
	}
}

func union(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func failed(f report.File) bool {
	return report.Summarize([]report.File{f}, 0).Failed > 0
}
