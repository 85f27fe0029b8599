package google

import (
	"bytes"
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
)

func TestSendAndWaitFor(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa, dev := e.connect(qaUser, nil), e.connect(devUser, nil)
	random := func(n int) []byte {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		return b
	}
	tests := []struct {
		name    string
		subject string
		atts    []providers.DraftAttachment
	}{
		{"ten bytes", "Überprüfung ✓ 日本語", []providers.DraftAttachment{{Name: "ten.txt", Content: []byte("0123456789")}}},
		{"four MB", "four megabytes", []providers.DraftAttachment{{Name: "four.bin", Content: random(4 << 20)}}},
		{"25 MB resumable", "twenty-five megabytes", []providers.DraftAttachment{{Name: "big.bin", Content: random(25 << 20)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.log()
			res, err := qa.Send(ctx, providers.Draft{
				To:          []providers.Address{{Name: "Dév Team", Address: devUser}},
				Subject:     tt.subject,
				Text:        "see https://example.com/ok",
				HTML:        `<p>see <a href="https://example.com/ok">it</a></p>`,
				Attachments: tt.atts,
			})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(res.MessageID, "@example.com>") {
				t.Errorf("message id = %q", res.MessageID)
			}
			uploads := 0
			for _, r := range e.log() {
				if strings.Contains(r, "/upload/gmail/v1/users/me/messages/send") {
					uploads++
				}
			}
			// Base64 makes the 4 MB attachment a 5.5 MB message: over the resumable threshold.
			if small := len(tt.atts[0].Content) < 1<<20; small && uploads != 1 {
				t.Errorf("%d upload requests, want one multipart upload", uploads)
			} else if !small && uploads < 3 {
				t.Errorf("%d upload requests, want a resumable upload in several chunks", uploads)
			}
			msg, err := dev.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: tt.subject}, Since: time.Now().Add(-time.Minute)},
				providers.WaitOptions{Timeout: 5 * time.Second, Interval: 50 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if msg.Subject != tt.subject || msg.MessageID != res.MessageID || msg.Text != "see https://example.com/ok" || msg.To[0].Name != "Dév Team" {
				t.Errorf("received = %q %q %q %+v", msg.Subject, msg.MessageID, msg.Text, msg.To)
			}
			if len(msg.Attachments) != 1 || msg.Attachments[0].Name != tt.atts[0].Name || msg.Attachments[0].Size != int64(len(tt.atts[0].Content)) {
				t.Fatalf("attachments = %+v", msg.Attachments)
			}
			got, err := msg.Attachments[0].Content(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.atts[0].Content) {
				t.Errorf("attachment content differs (%d bytes, want %d)", len(got), len(tt.atts[0].Content))
			}
			sent, err := qa.List(ctx, providers.Criteria{Folder: "sent", Subject: providers.Matcher{Contains: tt.subject}})
			if err != nil || len(sent) != 1 {
				t.Errorf("sent folder = %+v, %v; want exactly one copy", sent, err)
			}
		})
	}
}

func TestWaitForHistory(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	e.insert(qaUser, rawMail("a@example.org", qaUser, "before the call", "x"), noOpts)
	go func() {
		time.Sleep(150 * time.Millisecond)
		e.insert(qaUser, rawMail("a@example.org", qaUser, "unrelated", "x"), noOpts)
		e.insert(qaUser, rawMail("b@example.org", qaUser, "your code is 123", "x"), noOpts)
	}()
	e.log()
	msg, err := qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "code"}}, providers.WaitOptions{Timeout: 5 * time.Second, Interval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "your code is 123" {
		t.Errorf("waitFor = %q", msg.Subject)
	}
	var history, lists int
	for _, r := range e.log() {
		switch {
		case strings.HasSuffix(r, "/history"):
			history++
		case strings.HasSuffix(r, "/messages"):
			lists++
		}
	}
	if history == 0 || lists != 1 {
		t.Errorf("%d history.list and %d messages.list calls; want one search for what arrived before the history id, then history only", history, lists)
	}

	_, err = qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "never"}}, providers.WaitOptions{Timeout: 300 * time.Millisecond, Interval: 100 * time.Millisecond})
	if providers.CodeOf(err) != providers.Timeout || !strings.Contains(err.Error(), "no other message arrived") {
		t.Errorf("timeout error = %v", err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		e.insert(qaUser, rawMail("c@example.org", qaUser, "almost the invoice", "x"), noOpts)
	}()
	_, err = qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "invoice 42"}}, providers.WaitOptions{Timeout: 400 * time.Millisecond, Interval: 100 * time.Millisecond})
	if providers.CodeOf(err) != providers.Timeout || !strings.Contains(err.Error(), `closest seen: "almost the invoice" from c@example.org`) || !strings.Contains(err.Error(), "subject differs") {
		t.Errorf("timeout error = %v", err)
	}
	// since: a message that arrived before the call is found at once.
	start := time.Now()
	msg, err = qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "before the call"}, Since: time.Now().Add(-time.Minute)}, providers.WaitOptions{Timeout: 5 * time.Second, Interval: time.Second})
	if err != nil || msg.Subject != "before the call" || time.Since(start) > 900*time.Millisecond {
		t.Errorf("waitFor since = %v, %v after %v", msg, err, time.Since(start))
	}
}

func TestWaitForExpiredHistory(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	var expired atomic.Bool
	expired.Store(true)
	e.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/history") && expired.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"code":404,"message":"Requested entity was not found.","errors":[{"reason":"notFound","message":"Requested entity was not found."}],"status":"NOT_FOUND"}}`))
			return true
		}
		return false
	}
	go func() {
		time.Sleep(200 * time.Millisecond)
		e.insert(qaUser, rawMail("a@example.org", qaUser, "after expiry", "x"), noOpts)
	}()
	msg, err := qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "after expiry"}}, providers.WaitOptions{Timeout: 5 * time.Second, Interval: 100 * time.Millisecond})
	if err != nil || msg.Subject != "after expiry" {
		t.Fatalf("waitFor after a 404 = %v, %v", msg, err)
	}
}

// TestSendOverLimits: a message Gmail would refuse (over 100 recipients, over 35 MB as sent)
// fails before any request, with what to change.
func TestSendOverLimits(t *testing.T) {
	t.Parallel()
	e := newEmu(t, emuOptions{})
	qa := e.connect(qaUser, nil)
	many := make([]providers.Address, 101)
	for i := range many {
		many[i] = providers.Address{Address: "r" + strings.Repeat("x", i%5) + "@example.com"}
	}
	tests := []struct {
		name  string
		draft providers.Draft
		want  string
	}{
		{"101 recipients", providers.Draft{To: many[:50], Bcc: many[50:]},
			"send: the message has 101 recipients in to, cc and bcc; the Gmail API accepts at most 100 per message"},
		{"27 MB attached, 36.9 MB encoded", providers.Draft{To: many[:1], Attachments: []providers.DraftAttachment{{Name: "big.bin", Content: make([]byte, 27<<20)}}},
			"send: the message is 36.9 MB encoded; Gmail accepts at most 35.0 MB per message"},
	}
	for _, tt := range tests {
		e.log()
		_, err := qa.Send(context.Background(), tt.draft)
		if providers.CodeOf(err) != providers.InvalidArgument || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v; want INVALID_ARGUMENT with %q", tt.name, err, tt.want)
		}
		if made := e.log(); len(made) != 0 {
			t.Errorf("%s: requests were made: %q", tt.name, made)
		}
	}
}

// TestWaitForEarlierMail: mail sent just before waitFor (the usual mistake: send, then wait
// without since) does not count, and the timeout says why and how to count it.
func TestWaitForEarlierMail(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	if ms := time.Now().Nanosecond() / 1e6; ms > 700 {
		// Gmail's after: counts whole seconds: stay in the second of the send, so that the
		// search sees the message and the waiter must tell it apart by its time.
		time.Sleep(time.Duration(1000-ms) * time.Millisecond)
	}
	if _, err := qa.Send(ctx, providers.Draft{To: []providers.Address{{Address: qaUser}}, Subject: "your reset code", Text: "123456"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	c := providers.Criteria{Subject: providers.Matcher{Contains: "reset code"}}
	_, err := qa.WaitFor(ctx, c, providers.WaitOptions{Timeout: 300 * time.Millisecond, Interval: 100 * time.Millisecond})
	if providers.CodeOf(err) != providers.Timeout || !strings.Contains(err.Error(), `closest seen: "your reset code"`) || !strings.Contains(err.Error(), "it arrived before waitFor was called; take a Date before the action and pass it as since") {
		t.Errorf("timeout error = %v; want the message named as arrived before the call", err)
	}
	_, err = qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "nothing like it"}, To: providers.Matcher{Contains: "nobody"}}, providers.WaitOptions{Timeout: 300 * time.Millisecond, Interval: 100 * time.Millisecond})
	if providers.CodeOf(err) != providers.Timeout || !strings.Contains(err.Error(), providers.EarlierMailHint) {
		t.Errorf("timeout error = %v; want the hint about since", err)
	}
	c.Since = time.Now().Add(-time.Minute)
	if msg, err := qa.WaitFor(ctx, c, providers.WaitOptions{Timeout: 5 * time.Second, Interval: 100 * time.Millisecond}); err != nil || msg.Subject != "your reset code" {
		t.Errorf("waitFor with since = %v, %v", msg, err)
	}
	_, err = qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "nothing like it"}, Since: c.Since}, providers.WaitOptions{Timeout: 300 * time.Millisecond, Interval: 100 * time.Millisecond})
	if err == nil || strings.Contains(err.Error(), "since") {
		t.Errorf("timeout error with since = %v; want no hint about since", err)
	}
}
