package mimemsg

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
)

type wantAttachment struct {
	id, name, contentType, contentID string
	size                             int64
	inline                           bool
}

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file        string
		subject     string
		from        providers.Address
		to          []providers.Address
		cc          []providers.Address
		date        time.Time
		messageID   string
		text        string // substring of the text ("" means none expected)
		html        string // substring of the html ("" means none expected)
		links       []string
		attachments []wantAttachment
		hasAtt      bool
		headers     map[string]string
	}{
		{
			file:      "nested.eml",
			subject:   "Résumé du mois ✓",
			from:      providers.Address{Name: "Renée Dupré", Address: "renee@example.com"},
			to:        []providers.Address{{Name: "QA, Inbox", Address: "qa@example.com"}, {Address: "other@example.com"}},
			cc:        []providers.Address{{Name: "Jörg", Address: "jorg@example.com"}},
			date:      time.Date(2026, 3, 3, 9, 15, 0, 0, time.UTC),
			messageID: "<nested-1@example.com>",
			text:      "Café — visit https://example.com/plain and a very long line that goes on and on beyond seventy six characters",
			html:      `<a href="https://example.com/reset?token=a&amp;b=1">`,
			links:     []string{"https://example.com/reset?token=a&b=1", "https://example.com/plain"},
			attachments: []wantAttachment{
				{id: "1.2", name: "attachment", contentType: "image/png", contentID: "logo@x", size: 200, inline: true},
				{id: "2", name: "résumé.pdf", contentType: "application/pdf", size: 230},
			},
			hasAtt:  true,
			headers: map[string]string{"x-custom": "valeur é", "reply-to": "replies@example.com"},
		},
		{
			file:      "latin1.eml",
			subject:   "Grüße aus Köln",
			from:      providers.Address{Name: "François", Address: "francois@example.fr"},
			to:        []providers.Address{{Address: "qa@example.com"}},
			date:      time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC),
			messageID: "<latin1@example.fr>",
			text:      "Grüße aus Köln, ça va? Prix: 5 EUR?",
		},
		{
			file:    "cp1252.eml",
			subject: "“Sale” €",
			from:    providers.Address{Address: "shop@example.com"},
			to:      []providers.Address{{Address: "qa@example.com"}},
			date:    time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC),
			html:    "<p>“Smart quotes” cost €5 – naïve</p>",
			text:    "“Smart quotes” cost €5 – naïve", // derived from the HTML, as Exchange does
		},
		{
			file:    "sjis.eml",
			subject: "会議のお知らせ",
			from:    providers.Address{Name: "山田太郎", Address: "yamada@example.jp"},
			to:      []providers.Address{{Address: "qa@example.com"}},
			date:    time.Date(2026, 3, 6, 3, 0, 0, 0, time.UTC),
			text:    "こんにちは、世界。 https://example.jp/mtg",
			links:   []string{"https://example.jp/mtg"},
		},
		{
			file:    "truncated.eml",
			subject: "cut short",
			from:    providers.Address{Address: "a@example.com"},
			to:      []providers.Address{{Address: "qa@example.com"}},
			text:    "first part survives",
			// The unterminated last part keeps what arrived before the end.
			attachments: []wantAttachment{{id: "2", name: "data.bin", contentType: "application/octet-stream", size: 3}},
			hasAtt:      true,
		},
		{
			file:    "plain.eml",
			subject: "no content type",
			from:    providers.Address{Name: "Plain Sender", Address: "plain@example.com"},
			to:      []providers.Address{{Address: "qa@example.com"}},
			date:    time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC),
			text:    "Just text, see http://example.org/x.",
			links:   []string{"http://example.org/x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", m.Subject, tt.subject)
			}
			if m.From != tt.from {
				t.Errorf("from = %+v, want %+v", m.From, tt.from)
			}
			if !slices.Equal(m.To, tt.to) || !slices.Equal(m.Cc, tt.cc) {
				t.Errorf("to/cc = %+v / %+v, want %+v / %+v", m.To, m.Cc, tt.to, tt.cc)
			}
			if !m.ReceivedAt.Equal(tt.date) {
				t.Errorf("date = %v, want %v", m.ReceivedAt, tt.date)
			}
			if m.MessageID != tt.messageID {
				t.Errorf("message id = %q, want %q", m.MessageID, tt.messageID)
			}
			checkContains(t, "text", m.Text, tt.text)
			checkContains(t, "html", m.HTML, tt.html)
			if tt.links != nil && !slices.Equal(m.Links, tt.links) {
				t.Errorf("links = %q, want %q", m.Links, tt.links)
			}
			if len(m.Attachments) != len(tt.attachments) {
				t.Fatalf("attachments = %+v, want %+v", m.Attachments, tt.attachments)
			}
			for i, w := range tt.attachments {
				a := m.Attachments[i]
				got := wantAttachment{a.ID, a.Name, a.ContentType, a.ContentID, a.Size, a.Inline}
				if got != w {
					t.Errorf("attachment %d = %+v, want %+v", i, got, w)
				}
				b, _ := a.Content(context.Background())
				if int64(len(b)) != a.Size {
					t.Errorf("attachment %d content has %d bytes, size says %d", i, len(b), a.Size)
				}
			}
			if m.HasAttachments != tt.hasAtt {
				t.Errorf("hasAttachments = %v, want %v", m.HasAttachments, tt.hasAtt)
			}
			for k, v := range tt.headers {
				if got := m.Headers[k]; len(got) != 1 || got[0] != v {
					t.Errorf("headers[%q] = %q, want %q", k, got, v)
				}
			}
			if strings.TrimSpace(m.Text+m.HTML) != "" && m.Preview == "" {
				t.Error("preview is empty")
			}
		})
	}
}

func checkContains(t *testing.T, field, got, want string) {
	t.Helper()
	if want == "" {
		if got != "" {
			t.Errorf("%s = %q, want none", field, got)
		}
		return
	}
	if !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", field, got, want)
	}
}

func TestParseNestedAttachmentBytes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/nested.eml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	png, _ := m.Attachments[0].Content(context.Background())
	for i, b := range png {
		if int(b) != i {
			t.Fatalf("image byte %d = %d, want %d", i, b, i)
		}
	}
	pdf, _ := m.Attachments[1].Content(context.Background())
	if want := bytes.Repeat([]byte("%PDF-1.4 fake document\n"), 10); !bytes.Equal(pdf, want) {
		t.Errorf("pdf = %q, want %q", pdf, want)
	}
}

func TestParseRejectsUnreadableHeader(t *testing.T) {
	t.Parallel()
	if _, err := Parse([]byte("this is not a header\x00\n")); err == nil {
		t.Fatal("Parse accepted a message without a header")
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header    string
		inRelated bool
		want      Leaf
	}{
		{"", false, Leaf{Kind: PlainBody, MediaType: "text/plain"}},
		{"Content-Type: text/html; charset=ISO-8859-1", false, Leaf{Kind: HTMLBody, MediaType: "text/html", Charset: "ISO-8859-1"}},
		{"Content-Type: text/plain\r\nContent-Disposition: attachment", false, Leaf{Kind: Attachment, MediaType: "text/plain", Name: "attachment"}},
		{"Content-Type: text/csv; name=a.csv", false, Leaf{Kind: Attachment, MediaType: "text/csv", Name: "a.csv"}},
		{"Content-Type: image/gif\r\nContent-ID: <x@y>", false, Leaf{Kind: Inline, MediaType: "image/gif", Name: "attachment", ContentID: "x@y"}},
		{"Content-Type: image/gif; name=a.gif", true, Leaf{Kind: Inline, MediaType: "image/gif", Name: "a.gif"}},
		{"Content-Type: message/rfc822", false, Leaf{Kind: Attachment, MediaType: "message/rfc822", Name: "message.eml"}},
		{"Content-Type: application/pdf; name=\"=?utf-8?b?w6kucGRm?=\"\r\nContent-Transfer-Encoding: BASE64", false,
			Leaf{Kind: Attachment, MediaType: "application/pdf", Name: "é.pdf", Encoding: "base64"}},
		{"Content-Type: text/plain; charset=\"utf-8; broken", false, Leaf{Kind: PlainBody, MediaType: "text/plain"}},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			m, err := Parse([]byte(tt.header + "\r\n\r\nbody"))
			if err != nil {
				t.Fatal(err)
			}
			if got := Describe(headerOf(m), tt.inRelated); got != tt.want {
				t.Errorf("Describe = %+v, want %+v", got, tt.want)
			}
		})
	}
}
