package console

import (
	"io"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/jsfmt"
)

// Options tune the console.
type Options struct {
	// Colors colours values written to the VU's Stdout and Stderr; the caller decides it
	// (a TTY and no NO_COLOR).
	Colors bool
	// Capture, when set, also receives every line without colours, stdout and stderr
	// interleaved in the order written: the runtime keeps it as the running test's output.
	Capture io.Writer
	// Stack returns the script's current call stack, one "    at ..." line per frame, for
	// console.trace; the runtime formats it like error stacks. Nil prints no frames.
	Stack func() string
}

type console struct {
	vu   bindings.VU
	opts Options
}

// Install defines the console global.
func Install(vu bindings.VU, global *goja.Object, opts Options) error {
	c := &console{vu: vu, opts: opts}
	rt := vu.Runtime()
	obj := rt.NewObject()
	writer := func(method string, stderr bool) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			c.write(method, stderr, "", call.Arguments)
			return goja.Undefined()
		}
	}
	methods := map[string]any{
		"log": writer("log", false), "info": writer("info", false), "debug": writer("debug", false),
		"warn": writer("warn", true), "error": writer("error", true),
		"trace": c.trace,
		"dir":   c.dir,
		"assert": func(call goja.FunctionCall) goja.Value {
			if !call.Argument(0).ToBoolean() {
				c.write("assert", true, "Assertion failed", call.Arguments[min(1, len(call.Arguments)):])
			}
			return goja.Undefined()
		},
	}
	for name, fn := range methods {
		if err := obj.Set(name, fn); err != nil {
			return err
		}
	}
	return global.Set("console", obj)
}

// write formats args like console.log, after prefix (joined with ": " or alone), and
// sends the line to the chosen stream and to the capture.
func (c *console) write(method string, stderr bool, prefix string, args []goja.Value) {
	c.emit(method, stderr, func(o jsfmt.Options) string {
		line := jsfmt.FormatArgs(c.vu.Runtime(), args, o)
		switch {
		case prefix == "":
			return line
		case len(args) == 0:
			return prefix
		}
		return prefix + ": " + line
	})
}

// emit renders a line once without colours and, only when colours are on, once with them;
// the line is also a step of the test's timeline when one is recorded, named after method.
func (c *console) emit(method string, stderr bool, render func(jsfmt.Options) string) {
	line := render(jsfmt.Options{})
	bindings.Note(c.vu, bindings.StepStart{Kind: "console", Name: method}, line)
	plain := line + "\n"
	out := plain
	if c.opts.Colors {
		out = render(jsfmt.Options{Colors: true}) + "\n"
	}
	w := c.vu.Stdout()
	if stderr {
		w = c.vu.Stderr()
	}
	if w != nil {
		io.WriteString(w, out)
	}
	if c.opts.Capture != nil {
		io.WriteString(c.opts.Capture, plain)
	}
}

// trace writes "Trace: message" and the script's call stack to stderr, as Node does.
func (c *console) trace(call goja.FunctionCall) goja.Value {
	stack := ""
	if c.opts.Stack != nil {
		if stack = c.opts.Stack(); stack != "" {
			stack = "\n" + stack
		}
	}
	c.emit("trace", true, func(o jsfmt.Options) string {
		msg := "Trace"
		if len(call.Arguments) > 0 {
			msg += ": " + jsfmt.FormatArgs(c.vu.Runtime(), call.Arguments, o)
		}
		return msg + stack
	})
	return goja.Undefined()
}

// dir prints one value through util.inspect; {depth: n} or {depth: null} (no limit) widen it.
func (c *console) dir(v goja.Value, options *goja.Object) {
	depth := 0 // jsfmt's default, Node's 2
	if options != nil {
		switch d := options.Get("depth"); {
		case d == nil || goja.IsUndefined(d):
		case goja.IsNull(d):
			depth = -1
		case d.ToInteger() > 0:
			depth = int(d.ToInteger())
		}
	}
	c.emit("dir", false, func(o jsfmt.Options) string {
		o.Depth = depth
		return jsfmt.Format(c.vu.Runtime(), v, o)
	})
}
