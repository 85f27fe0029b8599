package mail

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/providers"
)

// rawSource is a mailbox whose every read returns raw as the message's source (or fails
// with err); the views ask nothing else of it.
type rawSource struct {
	providers.Mailbox
	raw []byte
	err error
}

func (r rawSource) Read(ctx context.Context, id string, o providers.ReadOptions) (*providers.Message, error) {
	if r.err != nil || !o.Raw {
		return nil, errors.Join(r.err, errors.New("only raw reads are expected"))
	}
	return &providers.Message{Raw: r.raw}, nil
}

// TestMessageViewLimits: parts up to MaxEmbeddedPart are embedded, larger ones are listed
// without bytes and never fetched, a part or a source that cannot be had is left out, and a
// source over MaxRawSource is dropped.
func TestMessageViewLimits(t *testing.T) {
	t.Parallel()
	held := func(b []byte) func(context.Context) ([]byte, error) {
		return func(context.Context) ([]byte, error) { return b, nil }
	}
	msg := &providers.Message{Summary: providers.Summary{ID: "m1", Subject: "parts"}, Headers: map[string][]string{"x-b": {"2"}, "x-a": {"1", "1b"}},
		Attachments: []providers.Attachment{
			{Name: "small.txt", ContentType: "text/plain; charset=utf-8", Size: 2, Content: held([]byte("hi"))},
			{Name: "big.bin", Size: MaxEmbeddedPart + 1, Content: func(context.Context) ([]byte, error) {
				t.Error("the content of a part over the limit was fetched")
				return nil, nil
			}},
			{Name: "grew.bin", Size: 1, Content: held(make([]byte, MaxEmbeddedPart+1))},
			{Name: "gone.txt", Size: 1, Content: func(context.Context) ([]byte, error) { return nil, errors.New("gone") }},
			{Name: "none.txt", Size: 1},
		}}
	v := messageView(context.Background(), rawSource{raw: []byte("Subject: parts\r\n\r\n")}, msg)
	urls := map[string]string{}
	for _, p := range v.Attachments {
		urls[p.Name] = p.URL
	}
	want := map[string]string{"small.txt": "data:text/plain;base64,aGk=", "big.bin": "", "grew.bin": "", "gone.txt": "", "none.txt": ""}
	for name, url := range want {
		if got, ok := urls[name]; !ok || got != url {
			t.Errorf("%s: url %q, want %q", name, got, url)
		}
	}
	if string(v.Raw) != "Subject: parts\r\n\r\n" {
		t.Errorf("raw = %q", v.Raw)
	}
	var headers []string
	for _, h := range v.Headers {
		headers = append(headers, h.Name+"="+h.Value)
	}
	if strings.Join(headers, " ") != "x-a=1 x-a=1b x-b=2" {
		t.Errorf("headers = %q", headers)
	}
	if v := messageView(context.Background(), rawSource{err: errors.New("refused")}, msg); v.Raw != nil {
		t.Errorf("a failed source fetch gave %q", v.Raw)
	}
	if v := messageView(context.Background(), rawSource{raw: bytes.Repeat([]byte("x"), MaxRawSource+1)}, msg); v.Raw != nil {
		t.Errorf("a source over the limit was kept (%d bytes)", len(v.Raw))
	}
}

// TestDraftView: a sent draft shows its own bytes up to the limit, the message id it went
// out with, its headers and links.
func TestDraftView(t *testing.T) {
	t.Parallel()
	d := providers.Draft{To: []providers.Address{{Address: "a@example.com"}}, Subject: "hi", HTML: `<a href="https://example.com/x">x</a>`,
		Headers: map[string]string{"X-Run": "7"},
		Attachments: []providers.DraftAttachment{
			{Name: "logo.png", ContentType: "image/png", Content: []byte{1, 2}, Inline: true, ContentID: "logo"},
			{Name: "huge.bin", ContentType: "application/octet-stream", Content: make([]byte, MaxEmbeddedPart+1)},
		}}
	v := draftView(d, "me@example.com", providers.SendResult{MessageID: "<id@example.com>"})
	if v.ID != "<id@example.com>" || v.From.Address != "me@example.com" || v.To[0].Address != "a@example.com" ||
		len(v.Links) != 1 || v.Links[0] != "https://example.com/x" || len(v.Headers) != 2 || v.Headers[1] != (mailview.Header{Name: "X-Run", Value: "7"}) {
		t.Errorf("view = %+v", v)
	}
	logo, huge := v.Attachments[0], v.Attachments[1]
	if logo.URL != "data:image/png;base64,AQI=" || !logo.Inline || logo.ContentID != "logo" || logo.Size != 2 {
		t.Errorf("inline part = %+v", logo)
	}
	if huge.URL != "" || huge.Size != MaxEmbeddedPart+1 {
		t.Errorf("part over the limit = %+v", huge)
	}
}
