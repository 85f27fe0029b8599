package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestParseMultipart(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/multipart.eml")
	if err != nil {
		t.Fatal(err)
	}
	var m Message
	n := 0
	if err := parseMessage(raw, &m, func() string { n++; return "att" + string(rune('0'+n)) }); err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"subject", m.Subject, "Grüße € café"},
		{"from name", m.From.Name, "Jörg Müller"},
		{"from address", m.From.Address, "joerg@example.com"},
		{"second to", m.To[1].Address, "bob@example.org"},
		{"text", m.Text, "Hallöchen, your code is 123456."},
		{"message-id", m.MessageID, "<m1@example.com>"},
		{"preview", m.Preview, "Hallöchen, your code is 123456."},
		{"inline content id", m.Attachments[0].ContentID, "logo@x"},
		{"inline part", m.Attachments[0].PartID, "0.1"},
		{"pdf name", m.Attachments[1].Name, "report.pdf"},
		{"pdf bytes", string(m.Attachments[1].Data), "%PDF-1.4\n"},
		{"pdf part id", m.Root.Parts[1].AttachmentID, "att2"},
		{"html part", m.Root.Parts[0].Parts[0].Parts[1].MimeType, "text/html"},
		{"sent", m.SentAt.UTC().Format("2006-01-02T15:04:05"), "2006-01-02T15:04:05"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(m.HTML, "<b>your code</b>") {
		t.Errorf("html = %q", m.HTML)
	}
	if len(m.Attachments) != 2 || !m.Attachments[0].Inline || m.Attachments[1].Inline {
		t.Errorf("attachments = %+v", m.Attachments)
	}
	if !m.HasAttachments() {
		t.Error("HasAttachments = false, want true (the pdf)")
	}
}

func TestParseRefusesHeaderless(t *testing.T) {
	t.Parallel()
	var m Message
	if err := parseMessage([]byte("\r\njust a body"), &m, nil); err == nil {
		t.Fatal("want an error for a message without header fields")
	}
}

func TestComposeRoundTrip(t *testing.T) {
	t.Parallel()
	raw, err := Compose(Outgoing{
		From:    Address{"Zoë", "zoe@contoso.com"},
		To:      []Address{{"", "a@example.com"}},
		Bcc:     []Address{{"", "hidden@example.com"}},
		Subject: "Réinitialiser votre mot de passe",
		Text:    "Go to https://example.com/reset?token=abc",
		HTML:    `<a href="https://example.com/reset?token=abc">reset</a><img src="cid:c1">`,
		Attachments: []Attachment{
			{Name: "ü.txt", ContentType: "text/plain", Data: []byte("hello")},
			{Name: "logo.png", ContentType: "image/png", ContentID: "c1", Inline: true, Data: []byte{0x89, 'P'}},
		},
		Importance: "high",
	})
	if err != nil {
		t.Fatal(err)
	}
	var m Message
	if err := parseMessage(raw, &m, func() string { return "id" }); err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Réinitialiser votre mot de passe" || m.From.Name != "Zoë" || m.Importance != "high" {
		t.Errorf("headers lost: subject %q from %q importance %q", m.Subject, m.From.Name, m.Importance)
	}
	if m.Text != "Go to https://example.com/reset?token=abc" || !strings.Contains(m.HTML, "token=abc") {
		t.Errorf("bodies lost: text %q html %q", m.Text, m.HTML)
	}
	// Tree order: the inline image sits beside the HTML, the file after the body.
	if len(m.Attachments) != 2 || m.Attachments[1].Name != "ü.txt" || string(m.Attachments[1].Data) != "hello" {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	if a := m.Attachments[0]; !a.Inline || a.ContentID != "c1" || a.PartID != "0.1.1" {
		t.Errorf("inline attachment = %+v, want inline c1 at part 0.1.1", a)
	}
	if len(m.Bcc) != 1 {
		t.Errorf("bcc = %v", m.Bcc)
	}
}

// nestedMIME is a message whose multipart/mixed parts nest depth levels deep around a text part.
func nestedMIME(depth int) []byte {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n")
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\ninnermost\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return []byte(b.String())
}

// TestParseBounds: nesting and header size past the bounds are refused as invalid (a 5,000-level
// message used to be stored and then fail to render); within them the message parses.
func TestParseBounds(t *testing.T) {
	t.Parallel()
	manyHeaders := "From: a@example.com\r\n" + strings.Repeat("X-Filler: 0123456789abcdef\r\n", 20_000) + "\r\nbody"
	tests := []struct {
		name string
		raw  []byte
		ok   bool
	}{
		{"nesting at bound", nestedMIME(maxPartDepth), true},
		{"nesting over bound", nestedMIME(maxPartDepth + 1), false},
		{"5,000 levels", nestedMIME(5000), false},
		{"header block over 256 KB", []byte(manyHeaders), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var m Message
			err := parseMessage(tc.raw, &m, func() string { return "att" })
			if tc.ok != (err == nil) || !tc.ok && !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if tc.ok && m.Text != "innermost" {
				t.Fatalf("text %q", m.Text)
			}
		})
	}
}

// TestParseSharesRaw: a leaf without transfer encoding is a slice of the stored bytes, not a
// copy, at any depth (the store's memory stays near the size of its mail).
func TestParseSharesRaw(t *testing.T) {
	t.Parallel()
	raw := nestedMIME(10)
	var m Message
	if err := parseMessage(raw, &m, func() string { return "att" }); err != nil {
		t.Fatal(err)
	}
	leaf := m.Root
	for len(leaf.Parts) > 0 {
		leaf = leaf.Parts[0]
	}
	start := bytes.Index(raw, []byte("innermost"))
	if string(leaf.Data) != "innermost" || &leaf.Data[0] != &raw[start] {
		t.Fatalf("leaf %q is a copy", leaf.Data)
	}
}

// TestParseUndeclared8Bit: the store reads text by mimedecode's rule, as the providers do:
// 8-bit text without a charset, or labelled UTF-8 without being UTF-8, is windows-1252; a bare
// file part without a name is an attachment (a reader sees it, as Exchange and Gmail list it).
func TestParseUndeclared8Bit(t *testing.T) {
	t.Parallel()
	raw := "From: a@example.com\r\nSubject: caf\xe9\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nCaf\xe9 \x93menu\x94 \x80 5\r\n" +
		"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Caf\xe9</p>\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n"
	var m Message
	if err := parseMessage([]byte(raw), &m, func() string { return "att" }); err != nil {
		t.Fatal(err)
	}
	if m.Subject != "café" || m.Text != "Café “menu” € 5" || m.HTML != "<p>Café</p>" || m.Preview != "Café “menu” € 5" {
		t.Errorf("text %q html %q preview %q", m.Text, m.HTML, m.Preview)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "" || string(m.Attachments[0].Data) != "\x00\x01\x02" || m.Attachments[0].Inline {
		t.Errorf("attachments = %+v, want the unnamed octet-stream", m.Attachments)
	}
}
