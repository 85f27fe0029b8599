package microsoft365

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7 % 251)
	}
	return b
}

func recipientsN(n int) []providers.Address {
	out := make([]providers.Address, n)
	for i := range out {
		out[i] = providers.Address{Address: fmt.Sprintf("r%d@example.com", i)}
	}
	return out
}

// TestSendWaitRead sends to the mailbox itself with attachments on both sides of the 3 MB
// line, waits for the delivery and checks what arrived, byte for byte.
func TestSendWaitRead(t *testing.T) {
	sizes := []struct {
		name string
		n    int
	}{{"tiny.bin", 10}, {"almost3mb.bin", 2_900_000}, {"twelve.bin", 12 << 20}}
	for _, size := range sizes {
		t.Run(size.name, func(t *testing.T) {
			e := startEmulator(t, emulator.Config{})
			mb := e.connect(t, nil)
			ctx := ctxT(t)
			content := pattern(size.n)
			subject := "Ihre Bestellung ✓ " + size.name
			go func() {
				time.Sleep(300 * time.Millisecond)
				_, err := mb.Send(ctx, providers.Draft{
					To:          []providers.Address{{Name: "QA Ünïcode", Address: "qa@contoso.com"}},
					Subject:     subject,
					HTML:        `<p>Reset: <a href="https://example.com/reset?token=a&amp;b=1">link</a></p>`,
					Headers:     map[string]string{"X-Test-Run": "42"},
					Attachments: []providers.DraftAttachment{{Name: size.name, ContentType: "application/octet-stream", Content: content}},
				})
				if err != nil {
					t.Error(err)
				}
			}()
			msg, err := mb.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "bestellung ✓ " + size.name}}, providers.WaitOptions{Timeout: 20 * time.Second, Interval: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if msg.Subject != subject || len(msg.Attachments) != 1 || !msg.HasAttachments {
				t.Fatalf("got %q with %d attachments", msg.Subject, len(msg.Attachments))
			}
			got, err := msg.Attachments[0].Content(ctx)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("attachment: %d bytes, err %v; want %d bytes", len(got), err, len(content))
			}
			if len(msg.Links) != 1 || msg.Links[0] != "https://example.com/reset?token=a&b=1" {
				t.Errorf("links = %q", msg.Links)
			}
			if msg.Headers["x-test-run"] == nil || msg.Headers["x-test-run"][0] != "42" {
				t.Errorf("x-test-run header = %q", msg.Headers["x-test-run"])
			}
			if !strings.HasPrefix(msg.MessageID, "<") || !strings.Contains(msg.MessageID, ".mailscript@contoso.com") {
				t.Errorf("message id = %q", msg.MessageID)
			}
		})
	}
}

func TestSendRejects(t *testing.T) {
	e := startEmulator(t, emulator.Config{})
	mb := e.connect(t, nil)
	cases := []struct {
		name  string
		draft providers.Draft
		want  string
	}{
		{"no recipients", providers.Draft{Subject: "x"}, "no recipients"},
		{"non-x header", providers.Draft{To: []providers.Address{{Address: "a@b.c"}}, Headers: map[string]string{"Reply-By": "1"}}, `"Reply-By"`},
		{"501 recipients", providers.Draft{To: recipientsN(200), Cc: recipientsN(200), Bcc: recipientsN(101)},
			"the message has 501 recipients in to, cc and bcc; Exchange Online accepts at most 500 per message"},
		{"30 MB attached, 41 MB encoded", providers.Draft{To: recipientsN(1), Attachments: []providers.DraftAttachment{{Name: "big.bin", Content: pattern(30 << 20)}}},
			"the message is 41.1 MB encoded; Exchange Online accepts at most 35.0 MB per message"},
		{"three of 12 MB", providers.Draft{To: recipientsN(1), Attachments: []providers.DraftAttachment{
			{Name: "1.bin", Content: pattern(12 << 20)}, {Name: "2.bin", Content: pattern(12 << 20)}, {Name: "3.bin", Content: pattern(12 << 20)}}},
			"Exchange Online accepts at most 35.0 MB per message"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := mb.Send(ctxT(t), c.draft)
			if providers.CodeOf(err) != providers.InvalidArgument || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if n := e.graph().Requests; n != 0 {
		t.Errorf("%d requests for invalid drafts", n)
	}
}

// TestSendDropAfter sends through an emulator that serves three requests in ten and then
// drops the connection without the answer. Every send must succeed and arrive exactly once:
// a sendMail whose answer was lost is found in Sent Items, never sent again.
func TestSendDropAfter(t *testing.T) {
	e := startEmulator(t, emulator.Config{DropAfter: 0.3})
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	const lookup = "graph GET /v1.0/users/{user}/mailFolders/{id}/messages"
	sends := 0
	// Send until lost answers have been looked up a few times (a rate of 0.3 gets there within
	// a handful of sends; 40 without any is a one-in-a-million run).
	for ; sends < 40 && e.srv.Counts()[lookup] < 3; sends++ {
		subject := fmt.Sprintf("once %02d", sends)
		if _, err := mb.Send(ctx, providers.Draft{To: []providers.Address{{Address: opsBox}}, Subject: subject, Text: "body"}); err != nil {
			t.Fatalf("send %d: %v", sends, err)
		}
		if n := e.delivered(t, opsBox, subject); n != 1 {
			t.Fatalf("%q arrived %d times, want exactly once", subject, n)
		}
	}
	counts := e.srv.Counts()
	if counts[lookup] < 3 {
		t.Fatalf("no answer was lost in %d sends: the fault never fired", sends)
	}
	if n := counts["graph POST /v1.0/users/{user}/sendMail"]; n != int64(sends) {
		t.Errorf("%d sendMail requests for %d sends: a send whose answer was lost was repeated", n, sends)
	}
}

// dropFirst stands between the provider and the emulator and loses the first request that
// matches, without sending it. The emulator drops connections at random rates; this test needs
// exactly one send to be lost before Graph saw it, hence this small client-side fixture.
type dropFirst struct {
	base    http.RoundTripper
	match   func(*http.Request) bool
	dropped atomic.Bool
}

func (d *dropFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	if d.match(r) && d.dropped.CompareAndSwap(false, true) {
		return nil, errors.New("connection reset by peer")
	}
	return d.base.RoundTrip(r)
}

// TestSendDroppedBeforeServed loses the first sendMail before Graph processed it: the send is
// not in Sent Items, so it is sent again, and exactly one message arrives.
func TestSendDroppedBeforeServed(t *testing.T) {
	e := startEmulator(t, emulator.Config{})
	mb := e.connect(t, nil)
	tr := mb.http.Transport.(*transport)
	drop := &dropFirst{base: tr.base, match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/sendMail") }}
	tr.base = drop
	if _, err := mb.Send(ctxT(t), providers.Draft{To: []providers.Address{{Address: opsBox}}, Subject: "once", Text: "body"}); err != nil {
		t.Fatal(err)
	}
	if n := e.delivered(t, opsBox, "once"); n != 1 || !drop.dropped.Load() {
		t.Fatalf("ops received %d messages (fault fired: %v), want exactly 1", n, drop.dropped.Load())
	}
}

// TestWaitForEarlierMail: mail sent before waitFor (the usual mistake: send, then wait without
// since) does not count, and the timeout says how to count it; with since it is found.
func TestWaitForEarlierMail(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{})
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	if _, err := mb.Send(ctx, providers.Draft{To: []providers.Address{{Address: "qa@contoso.com"}}, Subject: "your reset code", Text: "123456"}); err != nil {
		t.Fatal(err)
	}
	c := providers.Criteria{Subject: providers.Matcher{Contains: "reset code"}}
	_, err := mb.WaitFor(ctx, c, providers.WaitOptions{Timeout: 300 * time.Millisecond, Interval: 100 * time.Millisecond})
	if providers.CodeOf(err) != providers.Timeout || !strings.Contains(err.Error(), providers.EarlierMailHint) {
		t.Errorf("timeout error = %v; want the hint about since", err)
	}
	c.Since = time.Now().Add(-time.Minute)
	if msg, err := mb.WaitFor(ctx, c, providers.WaitOptions{Timeout: 5 * time.Second, Interval: 100 * time.Millisecond}); err != nil || msg.Subject != "your reset code" {
		t.Errorf("waitFor with since = %v, %v", msg, err)
	}
	c.Subject = providers.Matcher{Contains: "nothing like it"}
	_, err = mb.WaitFor(ctx, c, providers.WaitOptions{Timeout: 300 * time.Millisecond, Interval: 100 * time.Millisecond})
	if err == nil || strings.Contains(err.Error(), "since") {
		t.Errorf("timeout error with since = %v; want no hint about since", err)
	}
}
