package emulator

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log destination the server's goroutines may write concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAccessLog runs the emulator with a JSON logger at the default (Info) level, as
// --log-json does: every request is a line with face, route, status, duration, bytes and the
// fault applied; net/http's errors are lines at ERROR; no line holds the token or the secret.
func TestAccessLog(t *testing.T) {
	var buf syncBuffer
	s := start(t, Config{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	env := s.Env()
	tok := gmailToken(t, env)
	if status, _ := get(t, s.URL()+"/gmail/v1/users/me/profile?access_token="+tok, ""); status != 200 {
		t.Fatalf("profile: %d", status)
	}
	if err := s.SetFaults(Faults{Fail: map[int]float64{503: 1}}); err != nil {
		t.Fatal(err)
	}
	if status, _ := get(t, s.URL()+"/gmail/v1/users/me/messages", tok); status != 503 {
		t.Fatalf("faulted list: %d", status)
	}
	_ = s.SetFaults(Faults{})
	get(t, s.URL()+"/_emulator/env", "")
	s.http.ErrorLog.Print("http: panic serving 127.0.0.1:1: boom")

	type line struct {
		Level, Msg, Face, Method, Route, Fault string
		Status, Bytes                          int
		Duration                               *float64
	}
	var lines []line
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var v line
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		lines = append(lines, v)
	}
	find := func(route string) *line {
		for i := range lines {
			if lines[i].Msg == "request" && lines[i].Route == route {
				return &lines[i]
			}
		}
		t.Fatalf("no request line for %s in:\n%s", route, buf.String())
		return nil
	}
	if l := find("/google/oauth2/token"); l.Face != "google-oauth" || l.Method != "POST" || l.Status != 200 || l.Level != "INFO" || l.Duration == nil || l.Bytes == 0 {
		t.Errorf("token line %+v", l)
	}
	if l := find("/gmail/v1/users/{user}/profile"); l.Face != "gmail" || l.Status != 200 || l.Fault != "" {
		t.Errorf("profile line %+v", l)
	}
	if l := find("/gmail/v1/users/{user}/messages"); l.Status != 503 || l.Fault != "fail 503" {
		t.Errorf("faulted line %+v", l)
	}
	if l := find("/_emulator/env"); l.Face != "inspect" || l.Status != 200 {
		t.Errorf("inspect line %+v", l)
	}
	if last := lines[len(lines)-1]; last.Level != "ERROR" || !strings.Contains(last.Msg, "panic serving") {
		t.Errorf("net/http's error log: %+v", last)
	}
	for _, secret := range []string{tok, env["MAILSCRIPT_M365_CLIENT_SECRET"], "Bearer"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the log holds %.20s...", secret)
		}
	}
}
