package bindings

import (
	"bytes"
	"errors"

	"github.com/dop251/goja"
)

// JSError is a Go error that knows the JavaScript error a script should catch for it. A
// binding wraps the errors of its own domain in one (bindings/mail does for the providers'),
// so that Async, which knows no domain, rejects with the object the binding documents.
type JSError interface {
	error
	JSError(rt *goja.Runtime) *goja.Object
}

// Error converts a Go error into the JavaScript value a script catches: the object of the
// first JSError in err's chain, or else an Error with err's message.
func Error(rt *goja.Runtime, err error) *goja.Object {
	var je JSError
	if errors.As(err, &je) {
		return je.JSError(rt)
	}
	return NewError(rt, err.Error())
}

// NewError creates an Error through the runtime's constructor, so that instanceof Error holds.
func NewError(rt *goja.Runtime, msg string) *goja.Object {
	obj, err := rt.New(rt.Get("Error"), rt.ToValue(msg))
	if err != nil {
		panic(err) // the Error constructor cannot fail for a string
	}
	return obj
}

// origin marks the JS errors that know where the script made the call that failed; it is a
// symbol, so no script property can collide with it.
var origin = goja.NewSymbol("mailscript.origin")

// callSite remembers where a script started asynchronous work, so that the error a promise
// later rejects with points at the script's line rather than at the event loop.
type callSite struct{ frames []goja.StackFrame }

// captureCallSite records the script's current stack; call it on the loop, in the binding.
func captureCallSite(rt *goja.Runtime) callSite {
	return callSite{frames: rt.CaptureCallStack(0, nil)}
}

// errorAt is Error with the call site's frames: kept whole for Origin, and as the stack
// text a script prints, in goja's own format.
func (c callSite) errorAt(rt *goja.Runtime, err error) *goja.Object {
	obj := Error(rt, err)
	if len(c.frames) == 0 {
		return obj
	}
	var b bytes.Buffer
	b.WriteString(obj.Get("name").String() + ": " + obj.Get("message").String() + "\n")
	for _, f := range c.frames {
		b.WriteString("\tat ")
		f.Write(&b)
		b.WriteByte('\n')
	}
	_ = obj.DefineDataProperty("stack", rt.ToValue(b.String()), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	_ = obj.DefineDataPropertySymbol(origin, rt.ToValue(&c), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return obj
}

// Origin returns the frames of the script's call that an error made by Async's rejection
// stands for, or nil for any other value: reports place such an error at the call.
func Origin(v goja.Value) []goja.StackFrame {
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	held := obj.GetSymbol(origin)
	if held == nil {
		return nil
	}
	if c, ok := held.Export().(*callSite); ok {
		return c.frames
	}
	return nil
}
