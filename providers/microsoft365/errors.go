package microsoft365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/mailscript/mailscript/providers"
)

// op names what a call was doing and which application permission it needs, so that errors
// can say what to grant.
type op struct {
	what       string // "read message X", "send", ...
	permission string // Mail.Read, Mail.ReadWrite, Mail.Send
}

// mapError turns an SDK or transport error into a *providers.Error (context errors pass).
func (m *mailbox) mapError(o op, err error) error {
	if err == nil {
		return nil
	}
	var pe *providers.Error
	if errors.As(err, &pe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if pe != nil {
			return pe
		}
		return err
	}
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		code, msg := "", ""
		if main := oe.GetErrorEscaped(); main != nil {
			code, msg = deref(main.GetCode()), deref(main.GetMessage())
		}
		return m.graphError(o, oe.GetStatusCode(), code, msg)
	}
	var ae *abstractions.ApiError
	if errors.As(err, &ae) {
		return m.graphError(o, ae.GetStatusCode(), "", ae.Message)
	}
	return &providers.Error{Code: providers.Unavailable, Provider: Name, Message: o.what + ": " + err.Error(), Err: err}
}

// bodyError reads a raw Graph error response into a *providers.Error.
func (m *mailbox) bodyError(o op, status int, body []byte) error {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return m.graphError(o, status, e.Error.Code, e.Error.Message)
}

func (m *mailbox) graphError(o op, status int, code, msg string) error {
	e := &providers.Error{Provider: Name, Status: status, ProviderCode: code}
	switch {
	case status == http.StatusNotFound && (code == "ErrorInvalidUser" || code == "MailboxNotEnabledForRESTAPI" || code == "ResourceNotFound" && o.what == "folders"):
		e.Code = providers.NotFound
		e.Message = fmt.Sprintf("%s: mailbox %q was not found or has no Exchange Online mailbox: check %s", o.what, m.cfg.mailbox, EnvMailbox)
	case status == http.StatusNotFound || status == http.StatusBadRequest && malformedID[code]:
		// An id Graph cannot even parse names no message, as Gmail's "Invalid id value" does:
		// both are NOT_FOUND, so that one script handles both providers.
		e.Code = providers.NotFound
		e.Message = fmt.Sprintf("%s: not found (it may have been moved or deleted; moved messages get new ids)", o.what)
		if status == http.StatusBadRequest {
			e.Message = fmt.Sprintf("%s: not found: Microsoft Graph says %q; pass an id from list or waitFor", o.what, msg)
		}
	case status == http.StatusForbidden:
		e.Code = providers.PermissionDenied
		e.Message = fmt.Sprintf("%s: access denied to mailbox %s: grant the app the %s application permission with admin consent in Entra, and check that no application access policy excludes this mailbox", o.what, m.cfg.mailbox, o.permission)
	case status == http.StatusUnauthorized:
		e.Code = providers.AuthFailed
		e.Message = fmt.Sprintf("%s: Microsoft Graph rejected the access token", o.what)
		if msg != "" {
			e.Message += ": " + msg
		}
		e.Message += fmt.Sprintf(" (if the token is valid, check that %s and %s belong to the same cloud)", EnvLoginURL, EnvGraphURL)
	case status == http.StatusTooManyRequests:
		e.Code = providers.Throttled
		e.Message = o.what + ": Microsoft Graph kept throttling after retries; slow down or retry later"
	case status >= 500:
		e.Code = providers.Unavailable
		e.Message = fmt.Sprintf("%s: Microsoft Graph failed (HTTP %d): %s", o.what, status, msg)
	default:
		e.Code = providers.InvalidArgument
		e.Message = fmt.Sprintf("%s: Microsoft Graph refused the request (HTTP %d): %s", o.what, status, msg)
	}
	return e
}

// malformedID lists the codes of Graph's 400 answers to an id it cannot parse.
var malformedID = map[string]bool{"ErrorInvalidIdMalformed": true, "ErrorInvalidMailboxItemId": true}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
