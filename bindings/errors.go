package bindings

import (
	"context"
	"errors"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/providers"
)

// Error converts a Go error into the JavaScript value a script catches: an *providers.Error
// becomes an Error with code, provider, status and providerCode; an *providers.OptionError a
// TypeError; a cancelled or expired context a TIMEOUT error.
func Error(rt *goja.Runtime, err error) goja.Value {
	var (
		pe *providers.Error
		oe *providers.OptionError
	)
	switch {
	case errors.As(err, &oe):
		return rt.NewTypeError(oe.Error())
	case errors.As(err, &pe):
		obj := rt.NewGoError(err)
		obj.Set("message", pe.Error())
		obj.Set("code", string(pe.Code))
		obj.Set("provider", pe.Provider)
		obj.Set("status", pe.Status)
		obj.Set("providerCode", pe.ProviderCode)
		return obj
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		obj := rt.NewGoError(err)
		obj.Set("code", string(providers.Timeout))
		return obj
	}
	return rt.NewGoError(err)
}
