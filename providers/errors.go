package providers

import (
	"errors"
	"fmt"
)

// Code classifies an error the way scripts see it (err.code in JavaScript).
type Code string

// The error codes of the JS API contract.
const (
	AuthFailed       Code = "AUTH_FAILED"
	PermissionDenied Code = "PERMISSION_DENIED"
	NotFound         Code = "NOT_FOUND"
	Throttled        Code = "THROTTLED"
	Timeout          Code = "TIMEOUT"
	Cancelled        Code = "CANCELLED" // the run was stopped (Ctrl-C, --bail) before the call finished
	InvalidArgument  Code = "INVALID_ARGUMENT"
	Unavailable      Code = "UNAVAILABLE"
)

// Error is the error every provider returns for a failure a script can act on.
type Error struct {
	Code         Code
	Provider     string // "microsoft365", "google", ...
	Status       int    // HTTP status, 0 when there was none
	ProviderCode string // the service's own code: AADSTS7000215, ErrorItemNotFound, invalid_grant...
	Message      string // what happened and what to fix, for a person
	Err          error  // the underlying cause, if any
}

func (e *Error) Error() string {
	msg := e.Message
	if e.ProviderCode != "" {
		msg = fmt.Sprintf("%s (%s)", msg, e.ProviderCode)
	}
	if e.Provider != "" {
		return e.Provider + ": " + msg
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message.
func Errorf(code Code, provider, format string, args ...any) *Error {
	return &Error{Code: code, Provider: provider, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error in err's chain, or "" when there is none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
