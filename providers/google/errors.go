package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"

	"github.com/mailscript/mailscript/providers"
)

// call names one Gmail operation for error messages: what was attempted and which scope it
// needs, so that a 403 can say what to grant.
type call struct {
	what  string // "list messages", "send the message"...
	scope string // the narrowest delegated scope that allows it
}

// apiError turns any failure of c into a *providers.Error whose message says what to fix.
// Context errors pass through unchanged: the caller gave up, nothing failed.
func (m *mailbox) apiError(c call, err error) error {
	if err == nil {
		return nil
	}
	var pe *providers.Error
	if errors.As(err, &pe) || errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &providers.Error{Code: providers.Timeout, Provider: Name, Message: "timed out trying to " + c.what, Err: err}
	}
	if hint, ok := providers.UntrustedCertificate(err); ok {
		return &providers.Error{Code: providers.Unavailable, Provider: Name, Message: fmt.Sprintf("cannot %s: %s", c.what, hint), Err: err}
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return m.tokenError(re)
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return m.gmailError(c, ge)
	}
	var ae *authError
	if errors.As(err, &ae) {
		return &providers.Error{Code: providers.Unavailable, Provider: Name, Message: fmt.Sprintf("cannot reach the token endpoint %s: %s", m.cfg.key.TokenURI, m.cfg.redact(ae.err)), Err: err}
	}
	return &providers.Error{Code: providers.Unavailable, Provider: Name, Message: fmt.Sprintf("cannot %s: %s", c.what, m.cfg.redact(err)), Err: err}
}

// redact is err's text with the secrets the run knows masked.
func (c *config) redact(err error) string { return c.shared.Redactor().Redact(err.Error()) }

// tokenError explains the token endpoint's refusals in terms of what an administrator does.
func (m *mailbox) tokenError(re *oauth2.RetrieveError) *providers.Error {
	k, user := m.cfg.key, m.cfg.user
	scopes := strings.Join(m.cfg.scopes, ",")
	e := &providers.Error{Code: providers.AuthFailed, Provider: Name, Err: re}
	if re.Response != nil {
		e.Status = re.Response.StatusCode
	}
	code, desc := re.ErrorCode, re.ErrorDescription
	if code == "" {
		// golang.org/x/oauth2/jwt leaves the body unparsed: {"error": ..., "error_description": ...}.
		var body struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(re.Body, &body) == nil {
			code, desc = body.Error, body.Description
		}
	}
	e.ProviderCode = code
	switch {
	case code == "unauthorized_client":
		e.Message = fmt.Sprintf("the service account %s is not allowed to impersonate %s: domain-wide delegation is missing or lacks a scope. "+
			"In the Google Admin console (Security > Access and data control > API controls > Manage Domain Wide Delegation) "+
			"add client ID %s with the scopes %s", k.ClientEmail, user, k.ClientID, scopes)
	case code == "invalid_grant" && strings.Contains(desc, "Invalid email or User ID"):
		e.Message = fmt.Sprintf("Google does not know the user %q in this Workspace domain (Invalid email or User ID): check the user option or %s, and that the user exists and is not suspended", user, EnvUser)
	case code == "invalid_grant" && strings.Contains(desc, "Signature"):
		e.Message = fmt.Sprintf("the key %s of %s was rejected (Invalid JWT Signature): it was probably deleted or rotated; create a new key for the service account", k.PrivateKeyID, k.ClientEmail)
	case code == "invalid_grant" && strings.Contains(desc, "timeframe"):
		e.Message = "the token request was rejected as expired or from the future: this machine's clock is off; synchronise it (NTP)"
	case code == "invalid_grant" && strings.Contains(strings.ToLower(desc), "account not found"):
		e.Message = fmt.Sprintf("the service account %s no longer exists or is disabled: create a key for an active service account", k.ClientEmail)
	case code == "invalid_scope":
		e.Message = fmt.Sprintf("Google rejected the scopes %s: use full scope URLs like %s", scopes, ScopeModify)
	case code == "invalid_client" || code == "disabled_client":
		e.Message = fmt.Sprintf("the service account %s (client ID %s) is unknown or disabled: create a key for an active service account", k.ClientEmail, k.ClientID)
	default:
		e.Message = fmt.Sprintf("the token endpoint %s refused the service account %s acting as %s: %s", k.TokenURI, k.ClientEmail, user, m.cfg.shared.Redactor().Redact(desc))
		if e.Status >= 500 || e.Status == http.StatusTooManyRequests {
			e.Code = providers.Unavailable
		}
	}
	return e
}

// gmailError maps a Gmail API error body to a code and an actionable message.
func (m *mailbox) gmailError(c call, ge *googleapi.Error) *providers.Error {
	reason := ""
	if len(ge.Errors) > 0 {
		reason = ge.Errors[0].Reason
	}
	msg := ge.Message
	if msg == "" {
		msg = http.StatusText(ge.Code)
	}
	e := &providers.Error{Provider: Name, Status: ge.Code, ProviderCode: reason, Err: ge,
		Message: fmt.Sprintf("cannot %s: %s", c.what, msg)}
	switch {
	case ge.Code == http.StatusUnauthorized:
		e.Code = providers.AuthFailed
		e.Message = fmt.Sprintf("Gmail refused the access token for %s while trying to %s: %s", m.cfg.user, c.what, msg)
	case ge.Code == http.StatusForbidden && reason == "insufficientPermissions":
		e.Code = providers.PermissionDenied
		e.Message = fmt.Sprintf("the token for %s lacks the scope to %s: add %s to the scopes option and to the service account's domain-wide delegation in the Google Admin console", m.cfg.user, c.what, c.scope)
	case ge.Code == http.StatusForbidden && (reason == "rateLimitExceeded" || reason == "userRateLimitExceeded"):
		e.Code = providers.Throttled
		e.Message = fmt.Sprintf("Gmail kept rate-limiting %s while trying to %s: run fewer scripts in parallel against this mailbox", m.cfg.user, c.what)
	case ge.Code == http.StatusForbidden && reason == "accessNotConfigured":
		e.Code = providers.PermissionDenied
		e.Message = fmt.Sprintf("the Gmail API is not enabled in the service account's Google Cloud project: enable it in the console (APIs & Services > Library > Gmail API): %s", msg)
	case ge.Code == http.StatusForbidden:
		e.Code = providers.PermissionDenied
	case ge.Code == http.StatusNotFound:
		e.Code = providers.NotFound
	case ge.Code == http.StatusBadRequest && msg == "Invalid id value":
		// An id Gmail cannot parse names no message, as Graph's ErrorInvalidIdMalformed does:
		// both are NOT_FOUND, so that one script handles both providers.
		e.Code = providers.NotFound
		e.Message = fmt.Sprintf("cannot %s: no such message (Gmail: %s); pass an id from list or waitFor", c.what, msg)
	case ge.Code == http.StatusTooManyRequests:
		e.Code = providers.Throttled
		e.Message = fmt.Sprintf("Gmail kept throttling %s while trying to %s (%s): run fewer scripts in parallel against this mailbox", m.cfg.user, c.what, msg)
	case ge.Code == http.StatusBadRequest && reason == "failedPrecondition":
		e.Code = providers.InvalidArgument
		e.Message = fmt.Sprintf("cannot %s: %s (a user without a Gmail licence answers \"Mail service not enabled\")", c.what, msg)
	case ge.Code >= 400 && ge.Code < 500:
		e.Code = providers.InvalidArgument
	default:
		e.Code = providers.Unavailable
	}
	return e
}
