package emulator

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
	"github.com/mailscript/mailscript/emulator/store"
)

// sseStream reads one server-sent event stream: each event (or comment) as it arrives.
type sseStream struct {
	t      *testing.T
	lines  chan string
	cancel context.CancelFunc
	resp   *http.Response
}

func openEvents(t *testing.T, s *Server) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/_emulator/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		cancel()
		t.Fatalf("GET /_emulator/events: %d %s", resp.StatusCode, ct)
	}
	st := &sseStream{t: t, lines: make(chan string, 100), cancel: cancel, resp: resp}
	go func() {
		defer close(st.lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			st.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	return st
}

// next returns the next line that starts with prefix, skipping others; "" when the stream ends.
func (st *sseStream) next(prefix string) string {
	st.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-st.lines:
			if !ok {
				return ""
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-timeout:
			st.t.Fatalf("no %q line within 10s", prefix)
		}
	}
}

// change waits for the next change event and decodes it.
func (st *sseStream) change() eventDoc {
	st.t.Helper()
	if st.next("event: ") != "event: change" {
		st.t.Fatal("the next event is not a change")
	}
	var e eventDoc
	if err := json.Unmarshal([]byte(strings.TrimPrefix(st.next("data: "), "data: ")), &e); err != nil {
		st.t.Fatal(err)
	}
	return e
}

// TestEventsFollowEveryPath: mail arriving by SMTP and by injection, a Graph change, a sink
// arrival and a viewer delete each reach an open stream, between heartbeats.
func TestEventsFollowEveryPath(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	s.beat.Store(int64(30 * time.Millisecond))
	st := openEvents(t, s)
	if st.next(": ") != ": mailscript emulator events" {
		t.Fatal("the stream does not open with its comment")
	}
	if st.next(": heartbeat") == "" {
		t.Fatal("no heartbeat")
	}
	box, _ := s.Store().Mailbox("qa-inbox@contoso.com")
	google, _ := s.Store().Mailbox("qa@example.com")

	if err := smtptest.Send(s.SMTPAddr(), nil, nil, "app@shop.example", []string{"qa@example.com", "x@elsewhere.example"}, viewerMail); err != nil {
		t.Fatal(err)
	}
	if e := st.change(); e.Kind != store.MessageAdded || e.MailboxID != google.ID || e.Address != "qa@example.com" || e.MessageID == "" {
		t.Errorf("after SMTP: %+v, want messageAdded in %s, qa@example.com", e, google.ID)
	}
	if e := st.change(); e.Kind != store.SinkReceived || e.MessageID != "1" {
		t.Errorf("after SMTP to an unknown address: %+v, want sinkReceived 1", e)
	}

	resp := do(t, "POST", s.URL()+"/_emulator/mailboxes/qa-inbox@contoso.com/messages", `{"subject":"injected","text":"hi"}`)
	var injected map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&injected)
	if e := st.change(); e.Kind != store.MessageAdded || e.MailboxID != box.ID || e.MessageID != injected["id"] {
		t.Errorf("after inject: %+v, want messageAdded %v", e, injected["id"])
	}

	tok := graphToken(t, s.Env())
	req, _ := http.NewRequest("PATCH", s.URL()+"/v1.0/users/qa-inbox@contoso.com/messages/"+injected["id"].(string), strings.NewReader(`{"isRead":true}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("Graph PATCH: %v %v", err, resp)
	}
	if e := st.change(); e.Kind != store.LabelsRemoved || e.MessageID != injected["id"] || len(e.Labels) != 1 || e.Labels[0] != store.LabelUnread {
		t.Errorf("after Graph PATCH isRead: %+v, want labelsRemoved UNREAD", e)
	}

	if resp := do(t, "DELETE", s.URL()+messagePath(box.ID, injected["id"].(string)), ""); resp.StatusCode != 204 {
		t.Fatalf("DELETE: %d", resp.StatusCode)
	}
	if e := st.change(); e.Kind != store.MessageDeleted || e.MessageID != injected["id"] {
		t.Errorf("after DELETE: %+v", e)
	}
}

// TestEventsResync: a client that does not keep up is told to re-read rather than slowing
// the store. The handler writes to a writer the test can hold, so it is sure to fall behind.
func TestEventsResync(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	w := &gatedWriter{header: http.Header{}}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", "/_emulator/events", nil)
	ended := make(chan struct{})
	go func() { s.serveEvents(w, req); close(ended) }()
	w.waitFor(t, ": mailscript emulator events")
	w.gate.Lock()
	for range 300 { // one event taken and stuck in a write, 256 buffered, the rest missed
		if _, err := s.Store().Insert("qa@example.com", []byte("Subject: flood\r\n\r\nx"), store.InsertOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	w.gate.Unlock()
	w.waitFor(t, "event: resync\ndata: {}\n\n")
	cancel()
	<-ended
}

// gatedWriter is a streaming ResponseWriter whose writes wait while gate is locked.
type gatedWriter struct {
	gate   sync.Mutex
	mu     sync.Mutex
	buf    strings.Builder
	header http.Header
}

func (w *gatedWriter) Header() http.Header { return w.header }
func (w *gatedWriter) WriteHeader(int)     {}
func (w *gatedWriter) Flush()              {}

func (w *gatedWriter) Write(b []byte) (int, error) {
	w.gate.Lock() // waits while the test holds the gate
	w.gate.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(b)
}

func (w *gatedWriter) waitFor(t *testing.T, text string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		w.mu.Lock()
		got := w.buf.String()
		w.mu.Unlock()
		if strings.Contains(got, text) {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("the stream never wrote %q", text)
		}
	}
}

// TestEventsEnd: a stream ends when its client goes away, leaving no handler behind, and
// Close ends open streams at once instead of waiting for them. Not parallel: it counts every
// event handler of the process, and parallel tests start only after it.
func TestEventsEnd(t *testing.T) {
	s := start(t, Config{})
	gone := openEvents(t, s)
	gone.next(": mailscript")
	if n := handlersRunning("serveEvents"); n != 1 {
		t.Fatalf("%d event handlers run with one stream open", n)
	}
	gone.cancel()
	deadline := time.Now().Add(10 * time.Second)
	for handlersRunning("serveEvents") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the event handler still runs 10s after its client went away")
		}
		time.Sleep(20 * time.Millisecond)
	}

	open := openEvents(t, s)
	open.next(": mailscript")
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs on an open event stream")
	}
	if line := open.next("event: "); line != "" {
		t.Errorf("after Close the stream sent %q", line)
	}
}

// handlersRunning counts the goroutines of this process whose stack passes through the
// Server method fn.
func handlersRunning(fn string) int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "emulator.(*Server)."+fn+"(")
}
