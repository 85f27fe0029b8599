package mimemsg

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/providers"
)

// TestLongHeadersFold: long address lists, subjects and header values are folded into lines
// of at most 78 characters (998 is the hard limit), and both net/mail and Parse read back the
// exact subject, header and recipients.
func TestLongHeadersFold(t *testing.T) {
	t.Parallel()
	many := func(n int, name func(int) string) []providers.Address {
		out := make([]providers.Address, n)
		for i := range out {
			out[i] = providers.Address{Name: name(i), Address: fmt.Sprintf("recipient-%d@example.com", i)}
		}
		return out
	}
	tests := []struct {
		name  string
		draft providers.Draft
	}{
		{"1,000 Cc recipients", providers.Draft{To: many(1, func(int) string { return "" }), Cc: many(1000, func(i int) string { return fmt.Sprintf("Recipient %d", i) })}},
		{"non-ASCII and quoted names", providers.Draft{To: many(300, func(i int) string { return fmt.Sprintf("Zoë \"Z\" Ångström, №%d", i) })}},
		{"a name of 2,000 letters", providers.Draft{To: many(2, func(int) string { return strings.Repeat("n", 2000) })}},
		{"a 5,000-character subject of words", providers.Draft{Subject: strings.Repeat("word ", 1000)[:4999]}},
		{"a 5,000-character subject without spaces", providers.Draft{Subject: strings.Repeat("x", 5000)}},
		{"a long non-ASCII subject", providers.Draft{Subject: strings.Repeat("Überweisung bestätigt ", 200)}},
		{"a long subject in another script", providers.Draft{Subject: strings.Repeat("確認されました", 300)}},
		{"a subject with double spaces", providers.Draft{Subject: strings.Repeat("a  b   c ", 100) + "end"}},
		{"a long custom header", providers.Draft{Headers: map[string]string{"X-Trace": strings.Repeat("t", 3000)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tt.draft
			if len(d.To) == 0 {
				d.To = []providers.Address{{Address: "to@example.com"}}
			}
			d.Text = "body\n"
			raw, err := Build(d, sender, sentAt)
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
			for i, line := range strings.Split(string(head), "\r\n") {
				if len(line) > 78 {
					t.Errorf("header line %d is %d characters: %.100q...", i, len(line), line)
				}
			}
			for i, line := range strings.Split(string(raw), "\r\n") {
				if len(line) > 998 {
					t.Fatalf("line %d is %d characters", i, len(line))
				}
			}

			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || strings.TrimSpace(subject) != strings.TrimSpace(d.Subject) {
				t.Errorf("subject read back = %.80q (%v), want %.80q", subject, err, d.Subject)
			}
			for k, v := range d.Headers {
				if got, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get(k)); got != v {
					t.Errorf("%s read back = %.80q, want %.80q", k, got, v)
				}
			}
			for _, f := range []struct {
				key  string
				want []providers.Address
			}{{"To", d.To}, {"Cc", d.Cc}} {
				if len(f.want) == 0 {
					continue
				}
				got, err := msg.Header.AddressList(f.key)
				if err != nil || len(got) != len(f.want) {
					t.Fatalf("%s read back: %d addresses, %v; want %d", f.key, len(got), err, len(f.want))
				}
				for i, a := range got {
					if a.Name != f.want[i].Name || a.Address != f.want[i].Address {
						t.Fatalf("%s[%d] read back = %q <%s>, want %q <%s>", f.key, i, a.Name, a.Address, f.want[i].Name, f.want[i].Address)
					}
				}
			}

			parsed, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(parsed.Subject) != strings.TrimSpace(d.Subject) || len(parsed.To) != len(d.To) || len(parsed.Cc) != len(d.Cc) {
				t.Errorf("Parse: subject %.60q, %d to, %d cc; want %.60q, %d, %d", parsed.Subject, len(parsed.To), len(parsed.Cc), d.Subject, len(d.To), len(d.Cc))
			}
		})
	}
}

// TestEncodedSize: the estimate stays within a few percent of what Build renders.
func TestEncodedSize(t *testing.T) {
	t.Parallel()
	blob := bytes.Repeat([]byte{0, 1, 2, 250, 255, 7}, 500_000)
	for _, d := range []providers.Draft{
		{To: []providers.Address{{Address: "a@example.com"}}, Subject: "hi", Text: "short"},
		{To: []providers.Address{{Address: "a@example.com"}}, Text: "see attached", HTML: "<p>see attached</p>",
			Attachments: []providers.DraftAttachment{{Name: "a.bin", Content: blob}, {Name: "b.bin", Content: blob[:12345]}}},
	} {
		raw, err := Build(d, sender, sentAt)
		if err != nil {
			t.Fatal(err)
		}
		got, want := EncodedSize(d), int64(len(raw))
		if diff := got - want; diff < -want/20-500 || diff > want/20+1000 {
			t.Errorf("EncodedSize = %d, Build gives %d bytes", got, want)
		}
	}
}

// TestLongAttachmentNamesFold: an attachment's Content-Type and Content-Disposition stay
// within the line limit however long its name, as RFC 2231 continuations that parse back to
// the exact name.
func TestLongAttachmentNamesFold(t *testing.T) {
	t.Parallel()
	names := []string{
		strings.Repeat("report-", 150) + ".pdf",
		strings.Repeat("Überweisung bestätigt; ", 40) + ".txt",
		strings.Repeat("確認", 200) + ".csv",
		"short name.pdf",
	}
	d := providers.Draft{To: []providers.Address{{Address: "to@example.com"}}, Text: "body\n"}
	for _, n := range names {
		d.Attachments = append(d.Attachments, providers.DraftAttachment{Name: n, ContentType: "application/octet-stream", Content: []byte("x")})
	}
	raw, err := Build(d, sender, sentAt)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line %d is %d characters: %.100q...", i, len(line), line)
		}
	}
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != len(names) {
		t.Fatalf("%d attachments read back, want %d", len(m.Attachments), len(names))
	}
	for i, a := range m.Attachments {
		if a.Name != names[i] {
			t.Errorf("attachment %d read back as %.80q, want %.80q", i, a.Name, names[i])
		}
	}
}
