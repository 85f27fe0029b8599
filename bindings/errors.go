package bindings

import (
	"errors"
	"strings"

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

// callSite remembers where a script started asynchronous work, so that the error a promise
// later rejects with points at the script's line rather than at the event loop.
type callSite struct{ stack string }

// captureCallSite records the script's current stack; call it on the loop, in the binding.
func captureCallSite(rt *goja.Runtime) callSite {
	s := NewError(rt, "").Get("stack").String()
	if _, frames, ok := strings.Cut(s, "\n"); ok {
		return callSite{stack: frames}
	}
	return callSite{}
}

// errorAt is Error with the stack replaced by the call site's frames.
func (c callSite) errorAt(rt *goja.Runtime, err error) *goja.Object {
	obj := Error(rt, err)
	if c.stack != "" {
		head := obj.Get("name").String() + ": " + obj.Get("message").String()
		_ = obj.DefineDataProperty("stack", rt.ToValue(head+"\n"+c.stack), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	}
	return obj
}
