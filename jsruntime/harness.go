package jsruntime

import (
	"fmt"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
)

// mode is how a test or describe was declared.
type mode int

const (
	normal mode = iota
	skip
	only
)

type hookKind int

const (
	beforeAll hookKind = iota
	afterAll
	beforeEach
	afterEach
)

var hookNames = [...]string{"beforeAll", "afterAll", "beforeEach", "afterEach"}

// suite is the file itself (the root) or one describe block.
type suite struct {
	name     string
	parent   *suite
	mode     mode
	children []any // *testCase and *suite in declaration order
	hooks    [4][]*hook
}

type testCase struct {
	id      int // declaration ordinal: the same test in a file loaded again has the same id
	name    string
	path    []string // enclosing describe names
	fn      goja.Callable
	mode    mode
	timeout time.Duration // 0: the run's default
	parent  *suite
	site    *frame // where test() was called, for failures without a stack; nil if unknown
}

// focus is one test.only or describe.only call.
type focus struct {
	what string // "test.only", "describe.only"
	site *frame
}

type hook struct {
	kind    hookKind
	fn      goja.Callable
	timeout time.Duration
	site    *frame
}

// harness collects the tests a script declares.
type harness struct {
	vm       *VM
	root     *suite
	current  *suite
	declared bool // test() or describe() was called
	hasOnly  bool
	tests    int  // test() calls so far, numbering them
	running  bool // a test or hook is running: declarations are refused
	done     bool // collection is over

	onlyAt []focus // every test.only and describe.only, for --forbid-only
}

func (h *harness) install(global *goja.Object) error {
	rt := h.vm.rt
	h.root = &suite{}
	h.current = h.root
	test := rt.ToValue(h.declareTest(normal, "test")).ToObject(rt)
	describe := rt.ToValue(h.declareSuite(normal, "describe")).ToObject(rt)
	for _, set := range []struct {
		obj  *goja.Object
		name string
		v    any
	}{
		{test, "skip", h.declareTest(skip, "test.skip")},
		{test, "only", h.declareTest(only, "test.only")},
		{describe, "skip", h.declareSuite(skip, "describe.skip")},
		{describe, "only", h.declareSuite(only, "describe.only")},
		{test, "each", h.declareEach(h.declareTest(normal, "test"), "test.each")},
		{describe, "each", h.declareEach(h.declareSuite(normal, "describe"), "describe.each")},
		{global, "test", test},
		{global, "describe", describe},
		{global, "beforeAll", h.declareHook(beforeAll)},
		{global, "afterAll", h.declareHook(afterAll)},
		{global, "beforeEach", h.declareHook(beforeEach)},
		{global, "afterEach", h.declareHook(afterEach)},
	} {
		if err := set.obj.Set(set.name, set.v); err != nil {
			return err
		}
	}
	return nil
}

// inTest tells expect() whether it runs where an assertion belongs: in a test or hook, or in
// the top-level code of a script that declares no tests (the script is the test).
func (h *harness) inTest() bool {
	return h.running || !h.done && !h.declared
}

func (h *harness) checkDeclare(what string) {
	switch {
	case h.running:
		panic(h.vm.rt.NewTypeError("%s cannot be called while a test or hook runs: declare it at the top level or inside describe()", what))
	case h.done:
		panic(h.vm.rt.NewTypeError("%s was called after the script finished loading: declare it at the top level or inside describe()", what))
	}
}

// declaration starts a test( or describe(name, fn) call: it checks that declaring is allowed
// here and that name is a string, and returns fn if it is a function.
func (h *harness) declaration(call goja.FunctionCall, what string) (name string, fn goja.Callable, isFn bool) {
	h.checkDeclare(what + "()")
	h.declared = true // even a failing declaration makes this a file of tests, not a linear script
	name, ok := call.Argument(0).Export().(string)
	if !ok {
		panic(h.vm.rt.NewTypeError("%s(name, fn): name must be a string, like %s('sends a receipt', async () => { ... })", what, what))
	}
	fn, isFn = goja.AssertFunction(call.Argument(1))
	return name, fn, isFn
}

func (h *harness) declareTest(m mode, what string) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		name, fn, ok := h.declaration(call, what)
		switch {
		case goja.IsUndefined(call.Argument(1)) && m != skip:
			panic(h.vm.rt.NewTypeError("%s(%q): the test function is missing; write %s(%q, async () => { ... })", what, name, what, name))
		case !ok && !goja.IsUndefined(call.Argument(1)):
			panic(h.vm.rt.NewTypeError("%s(%q, fn): fn must be a function", what, name))
		}
		t := &testCase{id: h.tests, name: name, fn: fn, mode: m, parent: h.current, path: h.path(), site: h.callSite()}
		h.tests++
		t.timeout = h.timeout(call.Argument(2), fmt.Sprintf("%s(%q, fn, timeout)", what, name))
		h.add(t, m, what, t.site)
		return goja.Undefined()
	}
}

func (h *harness) declareSuite(m mode, what string) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		name, fn, ok := h.declaration(call, what)
		if !ok {
			panic(h.vm.rt.NewTypeError("%s(%q, fn): fn must be a function that declares tests", what, name))
		}
		s := &suite{name: name, parent: h.current, mode: m}
		h.add(s, m, what, h.callSite())
		h.current = s
		defer func() { h.current = s.parent }()
		ret, err := fn(goja.Undefined())
		if err != nil {
			panic(err)
		}
		if obj, ok := ret.(*goja.Object); ok {
			if _, thenable := goja.AssertFunction(obj.Get("then")); thenable {
				panic(h.vm.rt.NewTypeError("%s(%q): the callback returned a promise; describe callbacks must be synchronous, put async set-up in beforeAll()", what, name))
			}
		}
		return goja.Undefined()
	}
}

func (h *harness) declareHook(kind hookKind) func(goja.FunctionCall) goja.Value {
	what := hookNames[kind]
	return func(call goja.FunctionCall) goja.Value {
		h.checkDeclare(what + "()")
		fn, ok := goja.AssertFunction(call.Argument(0))
		if !ok {
			panic(h.vm.rt.NewTypeError("%s(fn): fn must be a function, like %s(async () => { ... })", what, what))
		}
		hk := &hook{kind: kind, fn: fn, site: h.callSite(), timeout: h.timeout(call.Argument(1), what+"(fn, timeout)")}
		h.current.hooks[kind] = append(h.current.hooks[kind], hk)
		h.declared = true
		return goja.Undefined()
	}
}

func (h *harness) add(node any, m mode, what string, site *frame) {
	h.current.children = append(h.current.children, node)
	h.declared = true
	if m == only {
		h.hasOnly = true
		h.onlyAt = append(h.onlyAt, focus{what: what, site: site})
	}
}

func (h *harness) timeout(v goja.Value, what string) time.Duration {
	if goja.IsUndefined(v) {
		return 0
	}
	d, err := bindings.Duration(v, what)
	if err != nil {
		panic(h.vm.rt.NewTypeError(err.Error()))
	}
	return d
}

func (h *harness) path() []string {
	var p []string
	for s := h.current; s.parent != nil; s = s.parent {
		p = append([]string{s.name}, p...)
	}
	return p
}

// callSite is the user's code calling the native function that runs now.
func (h *harness) callSite() *frame {
	for _, f := range h.vm.rt.CaptureCallStack(3, nil) {
		if fr, ok := userFrame(f); ok {
			return &fr
		}
	}
	return nil
}
