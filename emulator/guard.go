package emulator

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/mailscript/mailscript/emulator/gmail"
)

// Request body limits per face. Gmail takes messages up to 35 MB (36,700,160 bytes, its
// discovery document's maxSize), which grow by a third as base64url inside JSON; Graph takes
// upload-session chunks under 60 MiB and other requests up to 4 MB (checked by the face); the
// token endpoints take small forms; the inspection API takes injected messages (as big as
// Gmail's) and small JSON control calls.
const (
	maxGmailBody   = 50 << 20
	maxGraphBody   = 60 << 20
	maxTokenBody   = 1 << 20
	maxInjectBody  = 50 << 20
	maxControlBody = 1 << 20
)

// guard refuses what no local client sends before any face sees the request: a Host that is
// not loopback (a web page reaching the emulator through DNS rebinding), a write from another
// origin (a web page posting to it), and a body over the face's limit (413, read no further).
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		face := faceOf(r.URL.Path)
		if !loopbackHost(r.Host) {
			refuse(w, face, http.StatusForbidden, fmt.Sprintf("Host %q is not loopback: the emulator answers requests for 127.0.0.1, [::1] or localhost only.", r.Host))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
			if origin := r.Header.Get("Origin"); origin != "" && !loopbackOrigin(origin) || r.Header.Get("Sec-Fetch-Site") == "cross-site" {
				refuse(w, face, http.StatusForbidden, "Cross-origin writes are refused: the emulator takes requests from local clients, not from web pages.")
				return
			}
		}
		if face == "inspect" && (r.Method == http.MethodPut || r.Method == http.MethodPatch) && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			refuse(w, face, http.StatusUnsupportedMediaType, "Content-Type must be application/json.")
			return
		}
		limit := bodyLimit(face, r)
		if r.ContentLength > limit {
			refuse(w, face, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is %d bytes; this endpoint takes at most %d.", r.ContentLength, limit))
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

func bodyLimit(face string, r *http.Request) int64 {
	switch face {
	case "gmail":
		return maxGmailBody
	case "graph":
		return maxGraphBody
	case "inspect":
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages") {
			return maxInjectBody
		}
		return maxControlBody
	}
	return maxTokenBody
}

// loopbackHost reports whether a Host header names this machine: localhost or a loopback
// IP, with or without a port.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackOrigin reports whether an Origin header is an http(s) origin on this machine, like
// the emulator's own http://127.0.0.1:port.
func loopbackOrigin(origin string) bool {
	rest, ok := strings.CutPrefix(origin, "http://")
	if !ok {
		rest, ok = strings.CutPrefix(origin, "https://")
	}
	return ok && !strings.Contains(rest, "/") && loopbackHost(rest)
}

// faceOf names the face a path belongs to, as the request log and error shapes see it.
func faceOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/_emulator/"), path == "/": // the inspection API and its viewer
		return "inspect"
	case path == gmail.TokenPath:
		return "google-oauth"
	case strings.HasPrefix(path, "/gmail/"), strings.HasPrefix(path, "/upload/gmail/"), strings.HasPrefix(path, "/batch/gmail/"):
		return "gmail"
	case kindOf(path) == apiRequest:
		return "graph"
	}
	return "login"
}

// refuse answers in the shape the face's clients parse: Graph's and Gmail's error objects,
// OAuth's error/error_description on the token endpoints, {"error"} on the inspection API.
func refuse(w http.ResponseWriter, face string, status int, msg string) {
	var body any
	switch face {
	case "graph":
		code := map[int]string{403: "Forbidden", 413: "ErrorRequestEntityTooLarge"}[status]
		body = map[string]any{"error": map[string]any{"code": code, "message": msg}}
	case "gmail":
		reason, st := "forbidden", "PERMISSION_DENIED"
		if status == http.StatusRequestEntityTooLarge {
			reason, st = "uploadTooLarge", "OUT_OF_RANGE"
		}
		body = map[string]any{"error": map[string]any{"code": status, "message": msg, "status": st,
			"errors": []map[string]string{{"message": msg, "domain": "global", "reason": reason}}}}
	case "inspect":
		body = map[string]string{"error": msg}
	default:
		body = map[string]string{"error": "invalid_request", "error_description": msg}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
