package mail

import (
	"context"
	"errors"
	"fmt"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/providers"
)

// jsError converts a mail call's failure into the error typings/mail.d.ts documents: a
// *providers.Error becomes an Error with code, provider, status and providerCode; a
// *providers.OptionError a TypeError; a context's end a TIMEOUT error when a time limit ended
// it (cause is the call's context.Cause) and a CANCELLED error when the run was stopped.
func jsError(rt *goja.Runtime, err, cause error) *goja.Object {
	var (
		pe *providers.Error
		oe *providers.OptionError
	)
	if errors.As(err, &oe) {
		return rt.NewTypeError(oe.Error())
	}
	obj := bindings.NewError(rt, err.Error())
	switch {
	case errors.As(err, &pe):
		must(obj.Set("code", string(pe.Code)))
		must(obj.Set("provider", pe.Provider))
		must(obj.Set("status", pe.Status))
		must(obj.Set("providerCode", pe.ProviderCode))
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		code := providers.Cancelled
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(cause, context.DeadlineExceeded) {
			code = providers.Timeout
		}
		must(obj.Set("code", string(code)))
	}
	return obj
}

// callError carries a mail call's failure, and why its context ended if it did, to the
// loop, where bindings.Async asks it for the JavaScript error (jsError).
type callError struct{ err, cause error }

func (e *callError) Error() string                         { return e.err.Error() }
func (e *callError) Unwrap() error                         { return e.err }
func (e *callError) JSError(rt *goja.Runtime) *goja.Object { return jsError(rt, e.err, e.cause) }

// async is bindings.Async for a mailbox's calls: a failure rejects with jsError's object.
func async[T any](m *mailbox, work func(ctx context.Context) (T, error), toJS func(rt *goja.Runtime, v T) goja.Value) *goja.Promise {
	return bindings.Async(m.vu, func(ctx context.Context) (T, error) {
		v, err := work(ctx)
		if err != nil {
			return v, &callError{err: m.credentialsFrom(err), cause: context.Cause(ctx)}
		}
		return v, nil
	}, toJS)
}

// credentialsFrom adds to a refused sign-in or permission where the credentials came from when
// a connection of mailscript.json gave them: the provider's message names its environment
// variables and options, which the script did not set.
func (m *mailbox) credentialsFrom(err error) error {
	var pe *providers.Error
	if m.connection == "" || !errors.As(err, &pe) || pe.Code != providers.AuthFailed && pe.Code != providers.PermissionDenied {
		return err
	}
	cp := *pe
	cp.Message += fmt.Sprintf(" (the credentials come from the connection %q in mailscript.json)", m.connection)
	return &cp
}
