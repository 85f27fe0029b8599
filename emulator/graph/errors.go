package graph

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// apiError is a Graph error: {"error":{"code","message","innerError":{...}}}.
type apiError struct {
	Status  int
	Code    string
	Message string
	header  http.Header // extra response headers (WWW-Authenticate, Retry-After)
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

func errNotFound() *apiError {
	return newError(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

func errBadRequest(message string) *apiError {
	return newError(http.StatusBadRequest, "BadRequest", message)
}

func errInvalidRequest(message string) *apiError {
	return newError(http.StatusBadRequest, "ErrorInvalidRequest", message)
}

func errAccessDenied() *apiError {
	return newError(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
}

func errInvalidToken(message string) *apiError {
	e := newError(http.StatusUnauthorized, "InvalidAuthenticationToken", message)
	e.header = http.Header{"Www-Authenticate": {`Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`}}
	return e
}

// newGUID returns a random GUID for request ids, trace ids and correlation ids.
func newGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// stamp sets the request-id headers every Graph response carries and returns the ids.
func stamp(w http.ResponseWriter, r *http.Request) (requestID, clientRequestID string) {
	requestID = newGUID()
	clientRequestID = r.Header.Get("client-request-id")
	if clientRequestID == "" {
		clientRequestID = requestID
	}
	h := w.Header()
	h.Set("request-id", requestID)
	h.Set("client-request-id", clientRequestID)
	h.Set("x-ms-ags-diagnostic", `{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"LOOPBACK"}}`)
	return requestID, clientRequestID
}

type errorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

func (e *apiError) body(requestID, clientRequestID string, now time.Time) errorBody {
	var b errorBody
	b.Error.Code, b.Error.Message = e.Code, e.Message
	b.Error.InnerError.Date = now.UTC().Format("2006-01-02T15:04:05")
	b.Error.InnerError.RequestID, b.Error.InnerError.ClientRequestID = requestID, clientRequestID
	return b
}

// writeJSON encodes v before writing the status, so that a value that cannot be encoded gives
// the client Graph's 500 instead of a 200 with an empty body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		e := newError(status, "generalException", "Failed to render the response: "+err.Error())
		_ = enc.Encode(e.body(newGUID(), "", time.Now()))
	}
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
