package microsoft365

import (
	"bytes"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7 % 251)
	}
	return b
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
			fx := newFixture(t, faults{})
			mb := fx.connect(t, nil)
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
	fx := newFixture(t, faults{})
	mb := fx.connect(t, nil)
	cases := []struct {
		name  string
		draft providers.Draft
		want  string
	}{
		{"no recipients", providers.Draft{Subject: "x"}, "no recipients"},
		{"non-x header", providers.Draft{To: []providers.Address{{Address: "a@b.c"}}, Headers: map[string]string{"Reply-By": "1"}}, `"Reply-By"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := mb.Send(ctxT(t), c.draft)
			if providers.CodeOf(err) != providers.InvalidArgument || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if n := fx.requests.Load(); n != 0 {
		t.Errorf("%d requests for invalid drafts", n)
	}
}

// TestSendDroppedAnswer drops the connection of the first sendMail, after Graph processed it
// or before: either way exactly one message must arrive (found in Sent Items, or sent again).
func TestSendDroppedAnswer(t *testing.T) {
	for _, processed := range []bool{true, false} {
		var dropped atomic.Bool
		first := func(r *http.Request) bool {
			return strings.HasSuffix(r.URL.Path, "/sendMail") && dropped.CompareAndSwap(false, true)
		}
		f := faults{drop: first}
		if !processed {
			f = faults{dropBefore: first}
		}
		fx := newFixture(t, f)
		mb := fx.connect(t, nil)
		if _, err := mb.Send(ctxT(t), providers.Draft{To: []providers.Address{{Address: "ops@contoso.com"}}, Subject: "once", Text: "body"}); err != nil {
			t.Fatal(err)
		}
		ms, err := fx.store.List("ops@contoso.com", store.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || !dropped.Load() {
			t.Fatalf("processed=%v: ops received %d messages (fault fired: %v), want exactly 1", processed, len(ms), dropped.Load())
		}
	}
}
