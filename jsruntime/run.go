package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// RunFile runs one test file in a fresh VM and returns its results; rep (may be nil) hears
// about them as they happen, from the calling goroutine. Cancelling ctx stops the running
// test (it fails as interrupted) and reports the rest as skipped.
func RunFile(ctx context.Context, path string, opts Options, rep report.Reporter) report.File {
	if rep == nil {
		rep = nopReporter{}
	}
	start := time.Now()
	r := &fileRun{ctx: ctx, opts: opts, rep: rep, reported: map[int]bool{}}
	r.run(path)
	r.endVMs()
	r.file.Duration = time.Since(start)
	rep.FileFinished(r.file)
	return r.file
}

type fileRun struct {
	ctx      context.Context
	opts     Options
	rep      report.Reporter
	vm       *VM
	vms      []*VM         // every VM made for the file (cleanup.go)
	prg      *goja.Program // the compiled file, loaded again into a fresh VM when one breaks
	file     report.File
	bailed   bool
	reported map[int]bool // ids of the tests already reported, in whichever VM they ran
	restarts int          // fresh VMs the file needed so far (see restart.go)
	breakage              // why the current VM stopped running promise callbacks, if it did
}

func (r *fileRun) run(path string) {
	r.file.File = path
	abs, err := filepath.Abs(path)
	var wd string
	if err == nil {
		wd, err = workDir(r.opts)
	}
	var vm *VM
	if err == nil {
		vm, err = r.newVM(filepath.Dir(abs), wd)
	}
	if err != nil {
		r.rep.FileStarted(path)
		r.file.Error = &report.Error{Name: "Error", Message: err.Error()}
		return
	}
	r.vm = vm
	r.file.File = vm.display(abs)
	r.rep.FileStarted(r.file.File)
	defer func() {
		r.file.Output += r.vm.take()
		r.vm.dropSteps()
	}()

	mod, err := compileCached(path, r.opts.CacheDir)
	if err == nil {
		r.prg, err = vm.load(mod)
	}
	if err != nil {
		r.file.Error = vm.failure(err, nil)
		return
	}

	began := time.Now()
	err = r.load()
	switch {
	case !vm.h.declared:
		// A linear script is one test: its top-level code is the body.
		t := report.Test{Name: filepath.Base(abs), Status: report.Passed, Duration: time.Since(began), Output: vm.take()}
		if err != nil {
			t.Status, t.Error = r.failedStatus(), vm.failure(err, nil)
		}
		if r.selected(t.FullName()) {
			t.Steps = vm.keepSteps()
			r.finish(t)
		}
	case err != nil:
		r.file.Error = vm.failure(err, nil)
	case r.opts.ForbidOnly && len(vm.h.onlyAt) > 0:
		r.file.Error = vm.forbiddenOnly(vm.h.onlyAt)
	default:
		r.walk()
	}
}

// forbiddenOnly fails a file that focuses tests when ForbidOnly is set, naming every .only.
func (vm *VM) forbiddenOnly(onlyAt []focus) *report.Error {
	var frames []frame
	var where []string
	for _, f := range onlyAt {
		at := f.what
		if f.site != nil {
			frames = append(frames, *f.site)
			at += " at " + fmt.Sprintf("%s:%d:%d", vm.display(f.site.file), f.site.line, f.site.col)
		}
		where = append(where, at)
	}
	out := &report.Error{Name: "Error", Message: "focused tests are not allowed on CI (CI is set) or with --forbid-only: remove " +
		strings.Join(where, ", ") + " so that every test runs"}
	vm.locate(out, frames, nil)
	return out
}

// load runs the file's top-level code in the current VM, which declares its tests.
func (r *fileRun) load() error {
	vm := r.vm
	vm.startSteps()
	_, err := vm.phase(r.ctx, "script", r.opts.timeout(), func() (goja.Value, error) { return vm.rt.RunProgram(r.prg) })
	if e := vm.unawaited(); err == nil {
		err = e
	}
	vm.endTest()
	vm.h.done = true
	return err
}

func (r *fileRun) selected(fullName string) bool {
	return r.opts.Grep == nil || r.opts.Grep.MatchString(fullName)
}

// failedStatus is the status of a test that ended in an error: interrupted when the run
// was stopped meanwhile (the error is then the stop's), failed otherwise.
func (r *fileRun) failedStatus() report.Status {
	if r.ctx.Err() != nil {
		return report.Interrupted
	}
	return report.Failed
}

func (r *fileRun) finish(t report.Test) {
	if t.Status == report.Failed && r.opts.Bail {
		r.bailed = true
	}
	r.file.Tests = append(r.file.Tests, t)
	r.rep.TestFinished(r.file.File, t)
}

// phase runs one script, test body or hook under its own time limit, awaiting its promise.
// The context it gives Go work lives until the test ends (endTest), so that unawaited work
// is not cut short by the phase's end; a timed-out phase is abandoned at once. A failure
// that leaves goja unable to run promise callbacks marks the VM broken (see restart.go).
func (vm *VM) phase(parent context.Context, what string, limit time.Duration, fn func() (goja.Value, error)) (goja.Value, error) {
	ctx, cancel := context.WithTimeoutCause(parent, limit, &timeoutError{what: what, limit: limit})
	ctx, unwatch, release := vm.watchMemory(ctx, what)
	vm.ctx = ctx
	vm.cancels = append(vm.cancels, cancel, release)
	v, err := vm.await(ctx, what, fn)
	unwatch()
	var te *timeoutError
	if errors.As(context.Cause(ctx), &te) && err != nil {
		if waiting := gojaFrames(vm.pending.oldest()); len(waiting) > 0 {
			// A copy: the cause itself is read by the Go work the limit stopped.
			cp := *te
			cp.waiting = waiting
			err = &cp
		}
	}
	if err != nil && ctx.Err() != nil {
		vm.loop.Abandon()
	}
	if err != nil && !vm.runsJobs() {
		vm.broken = true
	}
	return v, err
}

// keepSteps hands the last timeline to a report: its bytes stay taken from the run's budget.
func (vm *VM) keepSteps() []report.Step {
	steps := vm.lastSteps
	vm.lastSteps, vm.lastHeld = nil, 0
	return steps
}

// startSteps starts the timeline of a test (or phase) starting now, giving back the bytes of
// the last one if no report kept it (an earlier attempt of a retried test, a hook phase).
func (vm *VM) startSteps() {
	vm.dropSteps()
	vm.steps.restart()
}

// endSteps takes the timeline of the test (or phase) now over as the last one, giving back
// the bytes of an earlier one that no report kept.
func (vm *VM) endSteps() {
	vm.dropSteps()
	vm.lastSteps, vm.lastHeld = vm.steps.take()
}

// dropSteps lets the last timeline go unreported, giving its bytes back to the run.
func (vm *VM) dropSteps() {
	vm.steps.run.give(vm.lastHeld)
	vm.lastSteps, vm.lastHeld = nil, 0
}

// endTest stops the Go work and forgets the timers, callbacks and cookies a test left
// behind, so that nothing of it runs into the next test.
func (vm *VM) endTest() {
	vm.endSteps() // before the cancels: a call still running is pending, not failed
	for _, cancel := range vm.cancels {
		cancel()
	}
	vm.cancels = vm.cancels[:0]
	vm.loop.Abandon()
	vm.fetch.Reset()
	clear(vm.pending.calls)
}

// rejection is a promise the harness awaited that rejected.
type rejection struct{ value goja.Value }

func (r *rejection) Error() string { return "rejected: " + r.value.String() }

// await calls fn on the loop and runs the loop until fn's result settles (a thenable is
// awaited), the loop goes idle, ctx ends or a callback fails.
func (vm *VM) await(ctx context.Context, what string, fn func() (goja.Value, error)) (goja.Value, error) {
	var s settlement
	first := func() error {
		v, err := fn()
		if err != nil {
			return err
		}
		return s.await(vm.rt, v)
	}
	if err := vm.loop.Run(ctx, first, s.done); err != nil {
		return nil, err
	}
	if !s.settled {
		return nil, &stalledError{what: what}
	}
	return s.value, s.failed
}

// settlement is the outcome of a value the runtime awaits.
type settlement struct {
	settled bool
	value   goja.Value
	failed  error // a *rejection
}

func (s *settlement) done() bool { return s.settled }

// await settles s with v at once, or when v is a thenable, when v settles.
func (s *settlement) await(rt *goja.Runtime, v goja.Value) error {
	obj, ok := v.(*goja.Object)
	var then goja.Callable
	if ok {
		then, ok = goja.AssertFunction(obj.Get("then"))
	}
	if !ok {
		s.settled, s.value = true, v
		return nil
	}
	_, err := then(obj,
		rt.ToValue(func(v goja.Value) { s.settled, s.value = true, v }),
		rt.ToValue(func(v goja.Value) { s.settled, s.failed = true, &rejection{value: v} }))
	return err
}

type nopReporter struct{}

func (nopReporter) FileStarted(string)                           {}
func (nopReporter) TestStarted(string, report.Test)              {}
func (nopReporter) TestFinished(string, report.Test)             {}
func (nopReporter) FileFinished(report.File)                     {}
func (nopReporter) Finished([]report.File, report.Summary) error { return nil }
