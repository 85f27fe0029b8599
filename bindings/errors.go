package bindings

import (
	"context"
	"errors"
	"strings"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/providers"
)

// Error converts a Go error into the JavaScript value a script catches: an *providers.Error
// becomes an Error with code, provider, status and providerCode; an *providers.OptionError a
// TypeError; a cancelled or expired context a TIMEOUT error.
func Error(rt *goja.Runtime, err error) *goja.Object {
	var (
		pe *providers.Error
		oe *providers.OptionError
	)
	if errors.As(err, &oe) {
		return rt.NewTypeError(oe.Error())
	}
	obj := newError(rt, err.Error())
	switch {
	case errors.As(err, &pe):
		_ = obj.Set("code", string(pe.Code))
		_ = obj.Set("provider", pe.Provider)
		_ = obj.Set("status", pe.Status)
		_ = obj.Set("providerCode", pe.ProviderCode)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		_ = obj.Set("code", string(providers.Timeout))
	}
	return obj
}

func newError(rt *goja.Runtime, msg string) *goja.Object {
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
	s := newError(rt, "").Get("stack").String()
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
