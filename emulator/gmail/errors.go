package gmail

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// apiError is the body Google's REST front-end sends for every failed call; the Go client
// parses code, message and errors[] into *googleapi.Error.
type apiError struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Errors  []errorDetail `json:"errors"`
	Status  string        `json:"status"`
	Details []any         `json:"details,omitempty"`
}

type errorDetail struct {
	Message      string `json:"message"`
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Location     string `json:"location,omitempty"`
	LocationType string `json:"locationType,omitempty"`
}

var statusNames = map[int]string{
	http.StatusBadRequest:            "INVALID_ARGUMENT",
	http.StatusUnauthorized:          "UNAUTHENTICATED",
	http.StatusForbidden:             "PERMISSION_DENIED",
	http.StatusNotFound:              "NOT_FOUND",
	http.StatusConflict:              "ALREADY_EXISTS",
	http.StatusRequestEntityTooLarge: "OUT_OF_RANGE",
	http.StatusTooManyRequests:       "RESOURCE_EXHAUSTED",
	http.StatusInternalServerError:   "INTERNAL",
	http.StatusServiceUnavailable:    "UNAVAILABLE",
}

// newError builds the common case where the single errors[] entry repeats the message.
func newError(code int, reason, message string) *apiError {
	return &apiError{
		Code:    code,
		Message: message,
		Errors:  []errorDetail{{Message: message, Domain: "global", Reason: reason}},
		Status:  statusNames[code],
	}
}

func (e *apiError) Error() string { return e.Message }

func errNotFound() *apiError {
	return newError(http.StatusNotFound, "notFound", "Requested entity was not found.")
}

func errInvalid(message string) *apiError {
	return newError(http.StatusBadRequest, "invalidArgument", message)
}

func errFailedPrecondition(message string) *apiError {
	e := newError(http.StatusBadRequest, "failedPrecondition", message)
	e.Status = "FAILED_PRECONDITION"
	return e
}

const authHelp = " Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."

func errLoginRequired() *apiError {
	return errUnauthenticated("Request is missing required authentication credential.", "Login Required.", "required")
}

func errInvalidCredentials() *apiError {
	return errUnauthenticated("Request had invalid authentication credentials.", "Invalid Credentials", "authError")
}

// errUnauthenticated is Google's 401: its errors[] entry has its own wording and points at the
// Authorization header.
func errUnauthenticated(message, detail, reason string) *apiError {
	return &apiError{
		Code:    http.StatusUnauthorized,
		Message: message + authHelp,
		Errors: []errorDetail{{Message: detail, Domain: "global", Reason: reason,
			Location: "Authorization", LocationType: "header"}},
		Status: "UNAUTHENTICATED",
	}
}

func errInsufficientScope() *apiError {
	return &apiError{
		Code:    http.StatusForbidden,
		Message: "Request had insufficient authentication scopes.",
		Errors:  []errorDetail{{Message: "Insufficient Permission", Domain: "global", Reason: "insufficientPermissions"}},
		Status:  "PERMISSION_DENIED",
		Details: []any{map[string]any{
			"@type":    "type.googleapis.com/google.rpc.ErrorInfo",
			"reason":   "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
			"domain":   "googleapis.com",
			"metadata": map[string]string{"service": "gmail.googleapis.com"},
		}},
	}
}

func errDelegationDenied(user string) *apiError {
	return newError(http.StatusForbidden, "forbidden", "Delegation denied for "+user)
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.Code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
	}
	writeJSON(w, e.Code, map[string]*apiError{"error": e})
}

// writeJSON encodes v before writing the status, so that a value that cannot be encoded gives
// the client Gmail's 500 instead of a 200 with an empty body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := encodeJSON(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = encodeJSON(map[string]*apiError{"error": newError(status, "backendError", "Failed to render the response: "+err.Error())})
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Vary", "Origin, X-Origin, Referer")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // Google sends <, > and & as they are
	err := enc.Encode(v)
	return b.Bytes(), err
}
