package jsruntime

import (
	"fmt"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// suite runs a describe block (or the file's root): its beforeAll hooks, its tests and
// nested blocks in declaration order, then its afterAll hooks. Hooks run only when at least
// one test below will. A failed beforeAll fails the tests below it without running them.
// Once the VM is broken nothing more runs in it: the walk unwinds, noting the teardown hooks
// it leaves behind, and the remaining tests wait for a fresh VM (see walk).
func (r *fileRun) suite(s *suite) {
	if !r.anyRuns(s) {
		r.each(s, nil)
		return
	}
	var setupErr *report.Error
	for _, hk := range s.hooks[beforeAll] {
		if err := r.hook(hk); err != nil {
			setupErr = r.vm.failure(err, hk.site)
			break
		}
	}
	r.endPhase()
	for _, child := range s.children {
		if setupErr != nil {
			r.each(&suite{children: []any{child}}, setupErr)
			continue
		}
		if r.vm.broken {
			break
		}
		switch c := child.(type) {
		case *suite:
			r.suite(c)
		case *testCase:
			r.test(c)
		}
	}
	for _, hk := range s.hooks[afterAll] {
		if r.vm.broken {
			r.lost = append(r.lost, hk)
		} else if err := r.hook(hk); err != nil {
			r.fail(r.vm.failure(err, hk.site))
		}
	}
	r.endPhase()
}

// fail records a failure outside any test: as the file's error, or as a line of the file's
// output when it already has one, so that none goes unreported.
func (r *fileRun) fail(e *report.Error) {
	if r.file.Error == nil {
		r.file.Error = e
		return
	}
	line := "mailscript: also failed outside any test: " + e.Name + ": " + e.Message
	if e.Location != "" {
		line += " @ " + e.Location
	}
	r.file.Output += line + "\n"
}

// endPhase closes work done outside any test: its output belongs to the file.
func (r *fileRun) endPhase() {
	if err := r.vm.unawaited(); err != nil {
		r.fail(r.vm.failure(err, nil))
	}
	r.vm.endTest()
	r.file.Output += r.vm.take()
}

// each reports every selected test below s without running it: failed with err when it
// would have run, skipped otherwise.
func (r *fileRun) each(s *suite, err *report.Error) {
	for _, child := range s.children {
		switch c := child.(type) {
		case *suite:
			r.each(c, err)
		case *testCase:
			if !r.selected(c.fullName()) || r.reported[c.id] {
				continue
			}
			t := report.Test{Name: c.name, Path: c.path, Status: report.Skipped}
			if err != nil && r.runs(c) {
				t.Status, t.Error = report.Failed, err
			}
			r.record(c, t)
		}
	}
}

func (r *fileRun) anyRuns(s *suite) bool {
	for _, child := range s.children {
		switch c := child.(type) {
		case *suite:
			if r.anyRuns(c) {
				return true
			}
		case *testCase:
			if r.runs(c) {
				return true
			}
		}
	}
	return false
}

// runs tells whether a test is to run now: selected by --grep, not skipped, inside the .only
// set when the file has one, not reported already, and the file not bailed out or stopped.
func (r *fileRun) runs(t *testCase) bool {
	if !r.selected(t.fullName()) || r.reported[t.id] || r.bailed || r.ctx.Err() != nil || t.mode == skip {
		return false
	}
	isOnly := t.mode == only
	for s := t.parent; s != nil; s = s.parent {
		switch s.mode {
		case skip:
			return false
		case only:
			isOnly = true
		}
	}
	return isOnly || !r.vm.h.hasOnly
}

func (t *testCase) fullName() string {
	return strings.Join(append(append([]string(nil), t.path...), t.name), " > ")
}

// test runs one test, and again after a failure as long as Options.Retries allows; the
// failures of the attempts run again are kept in the result's Retries.
func (r *fileRun) test(tc *testCase) {
	if !r.selected(tc.fullName()) || r.reported[tc.id] {
		return
	}
	t := report.Test{Name: tc.name, Path: tc.path, Status: report.Skipped}
	if !r.runs(tc) {
		r.record(tc, t)
		return
	}
	r.file.Output += r.vm.take()
	r.rep.TestStarted(r.file.File, t)
	start := time.Now()
	err := r.attempt(tc)
	// A retry needs a working VM and a run still going; a broken VM fails the test for good.
	for len(t.Retries) < r.opts.Retries && err != nil && !r.vm.broken && r.ctx.Err() == nil {
		t.Retries = append(t.Retries, r.vm.failure(err, tc.site))
		err = r.attempt(tc)
	}
	t.Duration = time.Since(start)
	t.Status = report.Passed
	if err != nil {
		t.Status, t.Error = r.failedStatus(), r.vm.failure(err, tc.site)
	}
	t.Output, t.Steps = r.vm.take(), r.vm.keepSteps()
	r.record(tc, t)
}

// attempt runs a test once: the beforeEach hooks from the outermost describe in, the body
// unless a hook failed, and the afterEach hooks from the innermost describe out, whatever
// happened (short of a broken VM); then it ends the test's work. The first failure is the
// attempt's.
func (r *fileRun) attempt(tc *testCase) error {
	var chain []*suite
	for s := tc.parent; s != nil; s = s.parent {
		chain = append([]*suite{s}, chain...)
	}
	r.vm.startSteps()
	var err error
	for _, s := range chain {
		for _, hk := range s.hooks[beforeEach] {
			if err == nil {
				err = r.hook(hk)
			}
		}
	}
	if err == nil {
		err = r.phase("test", fmt.Sprintf("test %q", tc.fullName()), tc.site, tc.timeout, tc.fn)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, hk := range chain[i].hooks[afterEach] {
			if r.vm.broken {
				r.lost = append(r.lost, hk)
			} else if e := r.hook(hk); err == nil {
				err = e
			}
		}
	}
	if e := r.vm.unawaited(); err == nil {
		err = e
	}
	r.vm.endTest()
	return err
}

// record reports a test and remembers it, so that a fresh VM does not run it again.
func (r *fileRun) record(tc *testCase, t report.Test) {
	r.reported[tc.id] = true
	r.finish(t)
}

func (r *fileRun) hook(hk *hook) error {
	what := hookNames[hk.kind] + " hook"
	if err := r.phase(what, "the "+what+r.vm.at(hk.site), hk.site, hk.timeout, hk.fn); err != nil {
		return &hookError{what: what, err: err}
	}
	return nil
}

// phase runs a test body or hook (limit 0: the run's timeout). When it leaves the VM broken,
// it is the cause the notes about the breakage name.
func (r *fileRun) phase(what, cause string, site *frame, limit time.Duration, fn goja.Callable) error {
	if limit == 0 {
		limit = r.opts.timeout()
	}
	r.vm.h.running = true
	_, err := r.vm.phase(r.ctx, what, limit, func() (goja.Value, error) { return fn(goja.Undefined()) })
	r.vm.h.running = false
	if r.vm.broken && r.cause == "" {
		r.cause, r.site = cause, site
	}
	return err
}
