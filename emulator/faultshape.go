package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// faultShape is how each service words a failure of its API.
type faultShape struct{ graphCode, graphMsg, googleReason, googleMsg, googleStatus string }

var faultShapes = map[int]faultShape{
	429: {"TooManyRequests", "Too many requests.", "rateLimitExceeded", "Rate Limit Exceeded", "RESOURCE_EXHAUSTED"},
	500: {"generalException", "An internal server error occurred. The operation failed.", "backendError", "Backend Error", "INTERNAL"},
	503: {"ServiceUnavailable", "The service is temporarily unavailable. Please retry later.", "backendError", "The service is currently unavailable.", "UNAVAILABLE"},
}

// writeFault answers with the service's own throttling or failure shape. Graph and Entra send
// Retry-After with 429 and 503; Gmail and Google's token endpoint usually send none, so
// clients' backoff without a hint gets exercised too.
func writeFault(w http.ResponseWriter, face string, kind requestKind, status int, concurrency bool) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if face == "graph" && status != http.StatusInternalServerError {
		h.Set("Retry-After", "1")
	}
	var body any
	switch {
	case kind == tokenRequest && face == "graph":
		body = entraFault(h, status)
	case kind == tokenRequest:
		code := "temporarily_unavailable"
		if status == http.StatusInternalServerError {
			code = "internal_failure"
		}
		body = map[string]string{"error": code, "error_description": "Backend Error"}
	case face == "graph":
		body = graphFault(h, status, concurrency)
	default:
		shape := faultShapes[status]
		msg := shape.googleMsg
		if concurrency {
			msg = "Too many concurrent requests for user."
		}
		body = map[string]any{"error": map[string]any{"code": status, "message": msg,
			"errors": []map[string]string{{"message": msg, "domain": "global", "reason": shape.googleReason}}, "status": shape.googleStatus}}
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func graphFault(h http.Header, status int, concurrency bool) any {
	code, msg := faultShapes[status].graphCode, faultShapes[status].graphMsg
	if concurrency {
		code, msg = "ApplicationThrottled", "Application is over its MailboxConcurrency limit."
	}
	id := newRequestID()
	h.Set("request-id", id)
	h.Set("client-request-id", id)
	return map[string]any{"error": map[string]any{"code": code, "message": msg, "innerError": map[string]string{
		"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": id, "client-request-id": id}}}
}

// entraFault is the token endpoint's transient failure: a 5xx or 429 with an AADSTS code in
// the OAuth error shape MSAL and x/oauth2 parse.
func entraFault(h http.Header, status int) any {
	kind, code, text := "temporarily_unavailable", 90033, "A transient error has occurred. Please try again."
	if status == http.StatusInternalServerError {
		kind, code, text = "server_error", 50000, "There was an error issuing a token or an issue with our sign-in service."
	}
	trace, corr := newRequestID(), newRequestID()
	ts := time.Now().UTC().Format("2006-01-02 15:04:05Z")
	h.Set("x-ms-request-id", trace)
	h.Set("client-request-id", corr)
	return map[string]any{
		"error":             kind,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", code, text, trace, corr, ts),
		"error_codes":       []int{code}, "timestamp": ts, "trace_id": trace, "correlation_id": corr,
	}
}
