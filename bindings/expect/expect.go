package expect

import (
	"bytes"
	"strings"

	"github.com/dop251/goja"

	"github.com/mailscript/mailscript/bindings/jsfmt"
)

// Options configure an Expect.
type Options struct {
	// InTest reports whether a test is running; expect() outside one throws an Error saying so.
	// Nil allows expect() anywhere (a REPL, a linear script).
	InTest func() bool
	// Colors paints expected values green and received values red in failure messages.
	Colors bool
}

// Expect is the expect() function of one runtime. Like the runtime, it must only be used on
// the runtime's goroutine.
type Expect struct {
	rt       *goja.Runtime
	opts     Options
	errorCtr goja.Value // captured at New so that a script shadowing Error cannot break failures
	b        builtins
	fn       *goja.Object
	pending  map[*asyncCheck]bool // .resolves/.rejects waiting for their promise (pending.go)
	seq      int
}

// New builds expect() for rt. Expose it with rt.Set("expect", e.Func()).
func New(rt *goja.Runtime, opts Options) *Expect {
	e := &Expect{rt: rt, opts: opts, errorCtr: rt.Get("Error"), b: newBuiltins(rt)}
	e.fn = rt.ToValue(func(call goja.FunctionCall) goja.Value {
		if e.opts.InTest != nil && !e.opts.InTest() {
			panic(e.newError("Error", "expect() was called outside of a test: call it inside test(...), a hook or a linear script"))
		}
		return e.matchers(call.Argument(0), false, "")
	}).(*goja.Object)
	must(e.fn.Set("any", e.any))
	must(e.fn.Set("anything", e.anything))
	return e
}

// Func returns the function to expose as the global expect.
func (e *Expect) Func() *goja.Object { return e.fn }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// call is one matcher invocation: expect(received)[.promise][.not].name(args...).
type call struct {
	e        *Expect
	name     string
	sig      string
	comment  string
	not      bool
	promise  string
	received goja.Value
}

// matchers builds the object expect() returns; .not, .resolves and .rejects are built on first
// use so that the common expect(x).toBe(y) allocates one set of methods.
func (e *Expect) matchers(received goja.Value, not bool, promise string) *goja.Object {
	o := e.rt.NewObject()
	for name, m := range matcherTable {
		c := call{e: e, name: name, sig: m.sig, comment: m.comment, not: not, promise: promise, received: received}
		var fn func(goja.FunctionCall) goja.Value
		if promise == "" {
			fn = func(fc goja.FunctionCall) goja.Value {
				c.run(m.fn, fc.Arguments, nil)
				return goja.Undefined()
			}
		} else {
			fn = func(fc goja.FunctionCall) goja.Value { return c.runAsync(m.fn, fc.Arguments) }
		}
		must(o.Set(name, fn))
	}
	lazy := func(name string, build func() *goja.Object) {
		getter := e.rt.ToValue(func(goja.FunctionCall) goja.Value { return build() })
		must(o.DefineAccessorProperty(name, getter, nil, goja.FLAG_FALSE, goja.FLAG_TRUE))
	}
	if !not {
		lazy("not", func() *goja.Object { return e.matchers(received, true, promise) })
	}
	if promise == "" {
		lazy("resolves", func() *goja.Object { return e.matchers(received, not, "resolves") })
		lazy("rejects", func() *goja.Object { return e.matchers(received, not, "rejects") })
	}
	return o
}

// run applies a matcher and throws an AssertionError when the outcome is not the wanted one;
// frames, when set, replace the error's stack (the call site of an awaited matcher).
func (c call) run(fn matcherFunc, args []goja.Value, frames []goja.StackFrame) {
	out := fn(&c, args)
	if out.pass == c.not {
		panic(c.failure(out, frames))
	}
}

// runAsync waits for the received promise and applies the matcher to what it settled with.
func (c call) runAsync(fn matcherFunc, args []goja.Value) goja.Value {
	p, _ := c.received.(*goja.Object)
	var then goja.Callable
	if p != nil {
		then, _ = goja.AssertFunction(p.Get("then"))
	}
	if then == nil {
		c.usage("received value must be a promise", "Received", c.received)
	}
	frames := c.e.rt.CaptureCallStack(0, nil)
	args = append([]goja.Value(nil), args...) // goja reuses the argument slice once this call returns
	done := c.e.track(c.promise, frames)
	settled := func(resolved bool) goja.Value {
		return c.e.rt.ToValue(func(fc goja.FunctionCall) goja.Value {
			done()
			v := fc.Argument(0)
			if resolved != (c.promise == "resolves") {
				verb, noun := "rejected instead of resolved", "Rejected to value"
				if resolved {
					verb, noun = "resolved instead of rejected", "Resolved to value"
				}
				panic(c.failure(outcome{body: func() string {
					return "Received promise " + verb + "\n" + noun + ": " + c.e.red(c.e.format(v))
				}, received: c.lazy(v)}, frames))
			}
			settledCall := c
			settledCall.received = v
			settledCall.run(fn, args, frames)
			return goja.Undefined()
		})
	}
	res, err := then(p, settled(true), settled(false))
	if err != nil {
		panic(err)
	}
	return res
}

// hint is Jest's matcher hint: expect(received).not.toBe(expected) // comment.
func (c *call) hint() string {
	var b strings.Builder
	b.WriteString("expect(received).")
	if c.promise != "" {
		b.WriteString(c.promise + ".")
	}
	if c.not {
		b.WriteString("not.")
	}
	b.WriteString(c.name + "(" + c.sig + ")")
	if c.comment != "" {
		b.WriteString(" // " + c.comment)
	}
	return b.String()
}

// failure builds the AssertionError for a failed expectation.
func (c *call) failure(out outcome, frames []goja.StackFrame) *goja.Object {
	msg := c.hint() + "\n\n" + out.body()
	err := c.e.newError("AssertionError", msg)
	set := func(k string, v func() string) {
		if v != nil {
			must(err.DefineDataProperty(k, c.e.rt.ToValue(v()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE))
		}
	}
	set("matcherName", text(c.name))
	set("expected", out.expected)
	set("received", out.received)
	if out.diff != "" {
		set("diff", text(out.diff))
	}
	if frames != nil {
		var b bytes.Buffer
		b.WriteString("AssertionError: " + msg + "\n")
		for _, f := range frames {
			b.WriteString("\tat ")
			f.Write(&b)
			b.WriteString("\n")
		}
		must(err.DefineDataProperty("stack", c.e.rt.ToValue(b.String()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	}
	return err
}

// usage throws a TypeError for a matcher used wrongly, naming the matcher and the bad value.
func (c *call) usage(problem, label string, v goja.Value) {
	msg := c.hint() + "\n\nMatcher error: " + problem
	if label != "" {
		msg += "\n\n" + label + " has type:  " + typeOf(v) + "\n" + label + " has value: " + c.e.format(v)
	}
	panic(c.e.newError("TypeError", msg))
}

// newError creates an Error through the runtime's constructor, so that instanceof Error holds
// and the stack points at the script line that called the matcher.
func (e *Expect) newError(name, msg string) *goja.Object {
	ctor := e.errorCtr
	if name == "TypeError" {
		ctor = e.rt.Get("TypeError")
	}
	c, _ := ctor.(*goja.Object)
	err, ex := e.rt.New(c, e.rt.ToValue(msg))
	if ex != nil {
		return e.rt.NewGoError(ex)
	}
	if name == "AssertionError" {
		// The stack text is built on first read, so it will start with this name.
		must(err.DefineDataProperty("name", e.rt.ToValue(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE))
	}
	return err
}

func (e *Expect) format(v goja.Value) string {
	return jsfmt.Format(e.rt, v, jsfmt.Options{Depth: 4})
}

func (e *Expect) paint(code, s string) string {
	if !e.opts.Colors {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[39m"
}

func (e *Expect) green(s string) string { return e.paint("32", s) }
func (e *Expect) red(s string) string   { return e.paint("31", s) }

func typeOf(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return "undefined"
	case goja.IsNull(v):
		return "null"
	case goja.IsString(v):
		return "string"
	case goja.IsNumber(v):
		return "number"
	case goja.IsBigInt(v):
		return "bigint"
	}
	switch v.(type) {
	case *goja.Symbol:
		return "symbol"
	case *goja.Object:
		if _, ok := goja.AssertFunction(v); ok {
			return "function"
		}
		return "object"
	}
	return "boolean"
}
