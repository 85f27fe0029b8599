package jsruntime

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mailscript/mailscript/jsruntime/report"
)

// goja (up to at least v0.0.0-20260917) keeps a stale call frame when an interrupt stops code
// inside an async function or a generator, and from then on never runs a promise reaction:
// every later await in that VM would hang. A file whose test breaks its VM that way goes on
// in a fresh VM that runs the file's program again, so that the same tests are declared in
// the same order; tests are matched by declaration order and the ones already reported are
// not run again. beforeAll and beforeEach hooks run again in the fresh VM for the tests left;
// the teardown hooks the broken VM still owed cannot run, and a note says so.

// maxRestarts bounds the fresh VMs one file gets, so that a file whose tests break every VM
// still finishes: each restart follows a test or hook that ran into its time limit.
const maxRestarts = 5

// brokenBecause completes a breakage's cause into the explanation users see.
const brokenBecause = " was interrupted while running inside an async function, which leaves the JavaScript engine unable to run promise callbacks"

// breakage is what broke the current VM; the zero value means it is not broken.
type breakage struct {
	cause string  // `test "a > b"` or `the beforeAll hook at file:1:2`
	site  *frame  // where the cause was declared
	lost  []*hook // teardown hooks the broken VM could not run, in the order they were due
}

// walk runs the file's declared tests, going on in a fresh VM each time one breaks the
// current one, until every selected test is reported.
func (r *fileRun) walk() {
	for {
		r.suite(r.vm.h.root)
		if !r.vm.broken {
			return
		}
		r.noteLost()
		if !r.anyRuns(r.vm.h.root) {
			r.each(r.vm.h.root, nil)
			return
		}
		if err := r.reload(); err != nil {
			r.each(r.vm.h.root, err)
			return
		}
	}
}

// reload replaces the broken VM with a fresh one that has run the file's top-level code
// again. When that cannot be done, the error explains why to the tests left, and the broken
// VM stays current so that they can be reported from its declarations.
func (r *fileRun) reload() *report.Error {
	notRun := func(reason string) *report.Error {
		out := &report.Error{Name: "Error", Message: "not run: " + r.cause + brokenBecause + ", and " + reason}
		r.vm.locate(out, nil, r.site)
		return out
	}
	if r.restarts == maxRestarts {
		return notRun(fmt.Sprintf("this file already used the %d fresh engines a file gets: make the tests that time out finish in time", maxRestarts))
	}
	r.restarts++
	old := r.vm
	vm, err := r.newVM(old.dir, old.workDir)
	if err != nil {
		return notRun("setting up a fresh engine failed: " + err.Error())
	}
	r.file.Output += "mailscript: " + r.cause + brokenBecause + "; the file is loaded again in a fresh engine (its top-level code runs again) for the remaining tests\n"
	r.vm = vm
	err = r.load()
	r.file.Output += vm.take()
	switch {
	case err != nil:
		e := vm.failure(err, nil)
		r.vm = old
		return notRun(fmt.Sprintf("loading the file again in a fresh engine failed with %s: %s", e.Name, e.Message))
	case !slices.Equal(fullNames(old.h.root), fullNames(vm.h.root)):
		r.vm = old
		return notRun("loading the file again in a fresh engine declared different tests, so the remaining ones cannot be told apart")
	}
	r.breakage = breakage{}
	return nil
}

// noteLost fails the file for the teardown hooks a broken VM could not run.
func (r *fileRun) noteLost() {
	if len(r.lost) == 0 {
		return
	}
	hooks := make([]string, len(r.lost))
	for i, hk := range r.lost {
		hooks[i] = hookNames[hk.kind] + r.vm.at(hk.site)
	}
	out := &report.Error{Name: "Error", Message: "teardown hooks could not run (" + strings.Join(hooks, ", ") + "): " + r.cause + brokenBecause}
	r.vm.locate(out, nil, r.lost[0].site)
	r.fail(out)
}

// at is " at file:line:col" for a known site, "" otherwise.
func (vm *VM) at(site *frame) string {
	if site == nil {
		return ""
	}
	return fmt.Sprintf(" at %s:%d:%d", vm.display(site.file), site.line, site.col)
}

// fullNames lists the tests below s in declaration order.
func fullNames(s *suite) []string {
	var names []string
	for _, child := range s.children {
		switch c := child.(type) {
		case *suite:
			names = append(names, fullNames(c)...)
		case *testCase:
			names = append(names, c.fullName())
		}
	}
	return names
}
