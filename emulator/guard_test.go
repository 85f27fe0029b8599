package emulator

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/emulator/store"
)

// rawRequest sends head (a request line and headers, no body) over TCP and returns the answer:
// the guard must answer on the headers alone, without reading a body the client never sends.
func rawRequest(t *testing.T, s *Server, head string) (int, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, strings.ReplaceAll(head, "\n", "\r\n")+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestGuard: the emulator answers only loopback Host headers (DNS rebinding), refuses writes
// from other origins (a web page's text/plain POST), and refuses bodies over each face's limit
// with 413 in the face's shape, before reading them.
func TestGuard(t *testing.T) {
	s := start(t, Config{})
	host := strings.TrimPrefix(s.URL(), "http://")
	_, port, _ := net.SplitHostPort(host)
	secret := s.Env()["MAILSCRIPT_M365_CLIENT_SECRET"]
	inbox := func() int {
		ms, _ := s.store.List("qa@example.com", storeQuery("inbox"))
		return len(ms)
	}
	mails := inbox()
	if _, err := s.store.Insert("qa@example.com", []byte("From: a@b.example\r\nSubject: kept\r\n\r\nx"), store.InsertOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		head   string
		status int
		shape  string // a key the body's JSON must hold: the face's error shape
	}{
		{"env via rebinding", "GET /_emulator/env HTTP/1.1\nHost: evil.example:" + port + "\n", 403, "error"},
		{"graph via rebinding", "GET /v1.0/users HTTP/1.1\nHost: evil.example\n", 403, "error.code"},
		{"token via rebinding", "POST /common/oauth2/v2.0/token HTTP/1.1\nHost: 10.0.0.1\nContent-Length: 0\n", 403, "error_description"},
		{"env on localhost", "GET /_emulator/env HTTP/1.1\nHost: localhost:" + port + "\n", 200, "MAILSCRIPT_M365_CLIENT_SECRET"},
		{"env on [::1]", "GET /_emulator/env HTTP/1.1\nHost: [::1]:" + port + "\n", 200, "MAILSCRIPT_M365_CLIENT_SECRET"},
		{"cross-origin reset", "POST /_emulator/reset HTTP/1.1\nHost: " + host + "\nOrigin: http://evil.example\nContent-Type: text/plain\nContent-Length: 0\n", 403, "error"},
		{"cross-site inject", "POST /_emulator/mailboxes/qa@example.com/messages HTTP/1.1\nHost: " + host + "\nSec-Fetch-Site: cross-site\nContent-Length: 0\n", 403, "error"},
		{"cross-origin gmail send", "POST /gmail/v1/users/me/messages/send HTTP/1.1\nHost: " + host + "\nOrigin: https://evil.example\nContent-Length: 0\n", 403, "error.errors"},
		{"faults as text/plain", "PUT /_emulator/faults HTTP/1.1\nHost: " + host + "\nContent-Type: text/plain\nContent-Length: 2\n\n{}", 415, "error"},
		{"inject over 50 MB", "POST /_emulator/mailboxes/qa@example.com/messages HTTP/1.1\nHost: " + host + "\nContent-Length: 200000000\n", 413, "error"},
		{"control call over 1 MB", "PUT /_emulator/faults HTTP/1.1\nHost: " + host + "\nContent-Type: application/json\nContent-Length: 2000000\n", 413, "error"},
		{"gmail upload over 50 MB", "POST /upload/gmail/v1/users/me/messages/send?uploadType=media HTTP/1.1\nHost: " + host + "\nContent-Length: 60000000\n", 413, "error.errors"},
		{"graph over 60 MB", "PUT /api/v2.0/Users('x')/Messages('y')/AttachmentSessions('z') HTTP/1.1\nHost: " + host + "\nContent-Length: 70000000\n", 413, "error.code"},
		{"token over 1 MB", "POST /google/oauth2/token HTTP/1.1\nHost: " + host + "\nContent-Length: 2000000\n", 413, "error_description"},
	}
	for _, tc := range tests {
		status, body := rawRequest(t, s, tc.head)
		var v map[string]any
		if err := json.Unmarshal(body, &v); status != tc.status || err != nil || !hasKey(v, tc.shape) {
			t.Errorf("%s: %d %.300s", tc.name, status, body)
		}
		if status != 200 && strings.Contains(string(body), secret) {
			t.Errorf("%s: the refusal shows the client secret", tc.name)
		}
	}
	if got := inbox(); got != mails+1 {
		t.Errorf("the refused writes changed the inbox: %d messages, want %d", got, mails+1)
	}
	// The emulator's own origin may write (the URL a browser on the inspection page would use).
	if status, body := rawRequest(t, s, "DELETE /_emulator/counts HTTP/1.1\nHost: "+host+"\nOrigin: "+s.URL()+"\n"); status != 204 {
		t.Errorf("same-origin write: %d %s", status, body)
	}
}

// hasKey reports whether the dotted path names a member of v.
func hasKey(v map[string]any, path string) bool {
	var cur any = v
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[k]; !ok {
			return false
		}
	}
	return true
}
