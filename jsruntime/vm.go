package jsruntime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
	"github.com/go-sourcemap/sourcemap"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/console"
	"github.com/mailscript/mailscript/bindings/env"
	"github.com/mailscript/mailscript/bindings/expect"
	"github.com/mailscript/mailscript/bindings/fetch"
	"github.com/mailscript/mailscript/bindings/open"
	"github.com/mailscript/mailscript/bindings/timers"
	"github.com/mailscript/mailscript/bindings/web"
	"github.com/mailscript/mailscript/jsruntime/eventloop"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// VM is one goja runtime with its event loop and every global installed; it implements
// bindings.VU. It is not safe for concurrent use: one goroutine drives it, and the VM runs
// only inside its calls (RunFile's, or Eval's and Pump's for a REPL).
type VM struct {
	rt      *goja.Runtime
	loop    *eventloop.Loop
	opts    Options
	dir     string
	workDir string
	env     func(string) string
	ctx     context.Context // of the running test, hook or evaluation
	cancels []context.CancelFunc
	output  bytes.Buffer // console output not yet attributed to a test or the file
	h       *harness
	fetch   *fetch.Session // its cookie jar is the running test's: reset by endTest
	expect  *expect.Expect
	pending pendingCalls // mail calls and fetches not settled yet
	steps   *stepLog     // the running test's timeline, kept with Options.RecordSteps
	// lastSteps is the timeline of the test (or phase) endTest ended last, and lastHeld the
	// bytes of the run's budget it holds: given back unless keepSteps hands it to a report.
	lastSteps []report.Step
	lastHeld  int64
	sources   map[string][]string // user files' lines, for code frames
	// cleanups run when the VM ends (cleanup.go).
	cleanups []func()

	// A REPL session's (NewVM): see session.go.
	session    context.Context // Go work that evaluations left running lives until Close
	endSession context.CancelFunc
	uncaught   func(*ScriptError)
	reserved   int // loop slots reserved so far: tells whether an evaluation started Go work
	broken     bool
}

var _ bindings.VU = (*VM)(nil)

func workDir(opts Options) (string, error) {
	if opts.WorkDir != "" {
		return filepath.Abs(opts.WorkDir)
	}
	return os.Getwd()
}

// newVM sets up a VM; capture keeps a copy of console output for reports (RunFile's).
func newVM(opts Options, dir, wd string, capture bool) (*VM, error) {
	rt := goja.New()
	rt.SetMaxCallStackSize(maxCallDepth)
	vm := &VM{
		rt:      rt,
		loop:    eventloop.New(rt),
		opts:    opts,
		dir:     dir,
		workDir: wd,
		env:     opts.Env,
		ctx:     context.Background(),
		sources: map[string][]string{},
		steps:   &stepLog{begin: time.Now(), redactor: opts.Redactor, run: opts.StepBytes},
	}
	if vm.env == nil {
		vm.env = os.Getenv
	}
	vm.h = &harness{vm: vm}
	var captured io.Writer
	if capture {
		captured = &vm.output
	}
	global := rt.GlobalObject()
	steps := []func() error{
		func() error { return timers.Install(vm, global, vm.loop) },
		func() error {
			return console.Install(vm, global, console.Options{Colors: opts.Colors, Capture: captured, Stack: vm.stack})
		},
		func() error { return env.Install(vm, global) },
		func() error { return open.Install(vm, global) },
		func() error { return web.Install(rt, global) },
		func() (err error) {
			vm.fetch, err = fetch.Install(vm, global)
			return err
		},
		func() error { return vm.h.install(global) },
		func() error {
			vm.expect = expect.New(rt, expect.Options{InTest: vm.h.inTest})
			return global.Set("expect", vm.expect.Func())
		},
	}
	if opts.Install != nil {
		steps = append(steps, func() error { return opts.Install(vm, global) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("setting up the script's globals: %w", err)
		}
	}
	return vm, nil
}

// Runtime is the VM's goja runtime; touch it only from the goroutine driving the VM.
func (vm *VM) Runtime() *goja.Runtime { return vm.rt }

// Context is cancelled when the running test or evaluation times out or the run stops; in a
// REPL, work started outside an evaluation (by a timer firing at the prompt) gets the
// session's context.
func (vm *VM) Context() context.Context { return vm.ctx }

// RegisterCallback reserves a slot on the VM's event loop (see bindings.VU).
func (vm *VM) RegisterCallback() func(fn func() error) {
	vm.reserved++
	return vm.loop.RegisterCallback()
}

// Env is the environment scripts see.
func (vm *VM) Env() func(string) string { return vm.env }

// Stdout is where console.log streams (captured output is kept separately).
func (vm *VM) Stdout() io.Writer { return vm.opts.stdout() }

// Stderr is where console.error streams.
func (vm *VM) Stderr() io.Writer { return vm.opts.stderr() }

// Dir is the running script's folder.
func (vm *VM) Dir() string { return vm.dir }

// ScriptError is a script failure described for the user.
type ScriptError struct {
	Detail report.Error
}

func (e *ScriptError) Error() string {
	msg := e.Detail.Name + ": " + e.Detail.Message
	if e.Detail.Stack != "" {
		msg += "\n" + e.Detail.Stack
	}
	return msg
}

// load compiles a bundle for goja with its source map attached, so that stacks show the
// user's files.
func (vm *VM) load(m *Module) (*goja.Program, error) {
	name := bundleName(m.Path)
	sm, err := sourcemap.Parse(name, m.SourceMap)
	if err != nil {
		return nil, fmt.Errorf("reading the source map of %s: %w", m.Path, err)
	}
	ast, err := parser.ParseFile(nil, name, m.Code, 0, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, unsupported(err, sm, filepath.Dir(name))
	}
	ast.File.SetSourceMap(sm)
	return goja.CompileAST(ast, true)
}

// display is how a file's path appears in results: relative to the working folder when
// inside it, else absolute (a chain of ../ says less than the path itself). A name that only
// starts with two dots ("..x.test.js") is inside.
func (vm *VM) display(path string) string {
	rel, err := filepath.Rel(vm.workDir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// stack formats the script's current call stack, for console.trace.
func (vm *VM) stack() string {
	var out report.Error
	vm.locate(&out, gojaFrames(vm.rt.CaptureCallStack(0, nil)), nil)
	return out.Stack
}

// take returns the console output written since the last take.
func (vm *VM) take() string {
	s := vm.output.String()
	vm.output.Reset()
	return s
}

// unsupported reports syntax that esbuild accepted but goja cannot run, at the user's position.
func unsupported(err error, sm *sourcemap.Consumer, dir string) error {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return err
	}
	p := Problem{Name: "SyntaxError", Message: "not supported by mailscript's JavaScript engine: " + list[0].Message}
	if src, _, line, col, ok := sm.Source(list[0].Position.Line, list[0].Position.Column-1); ok {
		p.File, p.Line, p.Column = filepath.Join(dir, filepath.FromSlash(src)), line, col+1
	}
	return &CompileError{Problems: []Problem{p}}
}
