package mimemsg

import (
	"bytes"
	"context"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/internal/htmltext"
	"github.com/mailscript/mailscript/providers"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	sender = providers.Address{Name: "QA Bot", Address: "qa@example.com"}
	sentAt = time.Date(2026, 3, 8, 10, 30, 0, 0, time.UTC)
)

func TestBuildGolden(t *testing.T) {
	t.Parallel()
	d := providers.Draft{
		To:        []providers.Address{{Name: "Zoë Ångström", Address: "zoe@example.com"}},
		Bcc:       []providers.Address{{Address: "hidden@example.com"}},
		Subject:   "Überweisung bestätigt",
		Text:      "Hallo Zoë,\nIhr Link: https://example.com/ok\n",
		Headers:   map[string]string{"X-Test-Run": "42"},
		MessageID: "<golden@example.com>",
	}
	got, err := Build(d, sender, sentAt)
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/build-text.golden"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Build =\n%s\nwant\n%s", got, want)
	}
}

func TestBuildRoundTrip(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte{0, 1, 2, 250, 255}, 200_000)
	tests := []struct {
		name  string
		draft providers.Draft
		// want is what Parse must give back: subject, text, html, attachments by name
		wantHTML bool
		wantAtt  []wantAttachment
	}{
		{name: "text only", draft: providers.Draft{Subject: "hello", Text: "plain body\nsecond line\n"}},
		{name: "html only", draft: providers.Draft{Subject: "日本語の件名です", HTML: "<p>only html</p>"}, wantHTML: true},
		{name: "alternative", draft: providers.Draft{Subject: "Ça marche", Text: "t", HTML: "<b>h</b>"}, wantHTML: true},
		{
			name: "mixed and related",
			draft: providers.Draft{
				Subject: strings.Repeat("long subject with ümlauts ", 8),
				Text:    strings.Repeat("a long line without breaks ", 20),
				HTML:    `<img src="cid:logo">`,
				Attachments: []providers.DraftAttachment{
					{Name: "logo.png", Content: []byte("tiny png!!"), Inline: true, ContentID: "logo"},
					{Name: "rapport été.bin", ContentType: "application/octet-stream", Content: big},
					{Name: "notes.txt", Content: []byte("ten bytes!")},
				},
			},
			wantHTML: true,
			wantAtt: []wantAttachment{
				{id: "1.2", name: "logo.png", contentType: "image/png", contentID: "logo", size: 10, inline: true},
				{id: "2", name: "rapport été.bin", contentType: "application/octet-stream", size: int64(len(big))},
				{id: "3", name: "notes.txt", contentType: "text/plain", size: 10},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.draft
			d.To = []providers.Address{{Name: "Jürgen, QA", Address: "j@example.com"}}
			d.Cc = []providers.Address{{Address: "c@example.com"}}
			raw, err := Build(d, sender, sentAt)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(raw), "\r\n") {
				if len(line) > 998 {
					t.Fatalf("line %d has %d characters, RFC 5322 allows 998", i, len(line))
				}
			}
			m, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != d.Subject || m.From != sender || !slices.Equal(m.To, d.To) || !slices.Equal(m.Cc, d.Cc) {
				t.Errorf("header fields = %q %+v %+v %+v", m.Subject, m.From, m.To, m.Cc)
			}
			if !m.ReceivedAt.Equal(sentAt) || !strings.HasPrefix(m.MessageID, "<") {
				t.Errorf("date/message id = %v %q", m.ReceivedAt, m.MessageID)
			}
			wantText := d.Text
			if wantText == "" {
				wantText = htmltext.Text(d.HTML) // what Parse derives for HTML-only mail
			}
			if m.Text != wantText || m.HTML != d.HTML {
				t.Errorf("text/html = %q / %q, want %q / %q", m.Text, m.HTML, wantText, d.HTML)
			}
			if len(m.Attachments) != len(tt.wantAtt) {
				t.Fatalf("attachments = %+v, want %+v", m.Attachments, tt.wantAtt)
			}
			for i, w := range tt.wantAtt {
				a := m.Attachments[i]
				if got := (wantAttachment{a.ID, a.Name, a.ContentType, a.ContentID, a.Size, a.Inline}); got != w {
					t.Errorf("attachment %d = %+v, want %+v", i, got, w)
				}
				b, _ := a.Content(context.Background())
				if !bytes.Equal(b, d.Attachments[i].Content) {
					t.Errorf("attachment %d content differs after the round trip", i)
				}
			}
		})
	}
}

func TestBuildBase64Lines(t *testing.T) {
	t.Parallel()
	d := providers.Draft{To: []providers.Address{{Address: "a@example.com"}},
		Attachments: []providers.DraftAttachment{{Name: "x.bin", Content: bytes.Repeat([]byte("x"), 1000)}}}
	raw, err := Build(d, sender, sentAt)
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, line := range strings.Split(string(raw), "\r\n") {
		if strings.HasPrefix(line, "eHh4") {
			lines++
			if len(line) > 76 {
				t.Fatalf("base64 line of %d characters", len(line))
			}
		}
	}
	if lines != 18 { // 1336 base64 characters in 76-character lines
		t.Errorf("%d base64 lines, want 18", lines)
	}
}

func TestBuildRejects(t *testing.T) {
	t.Parallel()
	to := []providers.Address{{Address: "a@example.com"}}
	tests := []struct {
		name  string
		draft providers.Draft
		want  string
	}{
		{"no recipients", providers.Draft{Subject: "x"}, "no recipients"},
		{"bad to", providers.Draft{To: []providers.Address{{Address: "nobody"}}}, `to[0]: "nobody"`},
		{"bad bcc", providers.Draft{To: to, Bcc: []providers.Address{to[0], {Address: "a@@b"}}}, "bcc[1]"},
		{"bad from", providers.Draft{To: to, From: &providers.Address{Address: ""}}, "from:"},
		{"reserved header", providers.Draft{To: to, Headers: map[string]string{"content-type": "x"}}, `"content-type" is set from the draft`},
		{"header injection", providers.Draft{To: to, Headers: map[string]string{"X-A": "1\r\nBcc: evil@example.com"}}, "line break"},
		{"bad header name", providers.Draft{To: to, Headers: map[string]string{"X A": "1"}}, "not a valid header name"},
		{"unnamed attachment", providers.Draft{To: to, Attachments: []providers.DraftAttachment{{Content: []byte("x")}}}, "attachments[0]: name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.draft, sender, sentAt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestBuildFreshMessageID(t *testing.T) {
	t.Parallel()
	d := providers.Draft{To: []providers.Address{{Address: "a@example.com"}}, Text: "x"}
	raw, err := Build(d, sender, sentAt)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := Parse(raw)
	if !strings.HasSuffix(m.MessageID, "@example.com>") {
		t.Errorf("message id = %q, want a fresh one in the sender's domain", m.MessageID)
	}
}
