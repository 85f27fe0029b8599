package runtime

import (
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/runtime/report"
)

// suite runs a describe block (or the file's root): its beforeAll hooks, its tests and
// nested blocks in declaration order, then its afterAll hooks. Hooks run only when at least
// one test below will. A failed beforeAll fails the tests below it without running them.
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
		switch c := child.(type) {
		case *suite:
			if setupErr != nil {
				r.each(c, setupErr)
			} else {
				r.suite(c)
			}
		case *testCase:
			if setupErr != nil {
				r.each(&suite{children: []any{c}}, setupErr)
			} else {
				r.test(c)
			}
		}
	}
	for _, hk := range s.hooks[afterAll] {
		if err := r.hook(hk); err != nil && r.file.Error == nil {
			r.file.Error = r.vm.failure(err, hk.site)
		}
	}
	r.endPhase()
}

// endPhase closes work done outside any test: its output belongs to the file.
func (r *fileRun) endPhase() {
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
			if !r.selected(c.fullName()) {
				continue
			}
			t := report.Test{Name: c.name, Path: c.path, Status: report.Skipped}
			if err != nil && r.runs(c) {
				t.Status, t.Error = report.Failed, err
			}
			r.finish(t)
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
// set when the file has one, and the file not bailed out or stopped.
func (r *fileRun) runs(t *testCase) bool {
	if !r.selected(t.fullName()) || r.bailed || r.ctx.Err() != nil || t.mode == skip {
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

// test runs one test: the beforeEach hooks from the outermost describe in, the body unless a
// hook failed, and the afterEach hooks from the innermost describe out, whatever happened. The first
// failure is the test's.
func (r *fileRun) test(tc *testCase) {
	if !r.selected(tc.fullName()) {
		return
	}
	t := report.Test{Name: tc.name, Path: tc.path, Status: report.Skipped}
	if !r.runs(tc) {
		r.finish(t)
		return
	}
	r.file.Output += r.vm.take()
	r.rep.TestStarted(r.file.File, t)
	start := time.Now()
	var chain []*suite
	for s := tc.parent; s != nil; s = s.parent {
		chain = append([]*suite{s}, chain...)
	}
	var err error
	for _, s := range chain {
		for _, hk := range s.hooks[beforeEach] {
			if err == nil {
				err = r.hook(hk)
			}
		}
	}
	if err == nil {
		limit := tc.timeout
		if limit == 0 {
			limit = r.opts.timeout()
		}
		r.vm.h.running = true
		_, err = r.vm.phase(r.ctx, "test", limit, func() (goja.Value, error) { return tc.fn(goja.Undefined()) })
		r.vm.h.running = false
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, hk := range chain[i].hooks[afterEach] {
			if e := r.hook(hk); err == nil {
				err = e
			}
		}
	}
	r.vm.endTest()
	t.Duration = time.Since(start)
	t.Status = report.Passed
	if err != nil {
		t.Status, t.Error = report.Failed, r.vm.failure(err, tc.site)
	}
	t.Output = r.vm.take()
	r.finish(t)
}

func (r *fileRun) hook(hk *hook) error {
	limit := hk.timeout
	if limit == 0 {
		limit = r.opts.timeout()
	}
	r.vm.h.running = true
	defer func() { r.vm.h.running = false }()
	_, err := r.vm.phase(r.ctx, hookNames[hk.kind]+" hook", limit, func() (goja.Value, error) { return hk.fn(goja.Undefined()) })
	return err
}
