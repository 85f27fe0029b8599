package store

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Outgoing is a message described by fields (Graph's JSON message); Compose renders it.
type Outgoing struct {
	From       Address
	To         []Address
	Cc         []Address
	Bcc        []Address
	ReplyTo    []Address
	Subject    string
	Text       string
	HTML       string
	Importance string // "low", "normal" (default) or "high"
	// Attachments: Inline ones with a ContentID are placed beside the HTML (multipart/related).
	Attachments []Attachment
	Headers     []Header // extra header fields, e.g. X-Custom
	MessageID   string   // with angle brackets; empty leaves it to Deliver
	InReplyTo   string
	References  string
	Date        time.Time // zero means no Date header (Deliver adds one)
}

// Compose renders an Outgoing as RFC 5322 bytes with CRLF line ends: quoted-printable UTF-8
// text, base64 attachments, RFC 2047 subject and names.
//
// It is the emulator's own composer, independent of providers/mimemsg.Build on purpose (and
// not only because the emulator imports no provider code): it stands for the service turning
// Graph's JSON (sendMail, drafts) into MIME, while mimemsg.Build is the client's composer for
// Gmail's send. Mail built by either is parsed by the other side's reader in the provider tests
// against the emulator, so the two cross-check each other; decoding is shared (mimedecode).
func Compose(o Outgoing) ([]byte, error) {
	var b bytes.Buffer
	hdr := func(name, value string) {
		if value != "" {
			b.WriteString(name + ": " + value + "\r\n")
		}
	}
	if !o.Date.IsZero() {
		hdr("Date", o.Date.Format(time.RFC1123Z))
	}
	if o.From.Address != "" {
		hdr("From", formatAddress(o.From))
	}
	hdr("To", formatAddresses(o.To))
	hdr("Cc", formatAddresses(o.Cc))
	hdr("Bcc", formatAddresses(o.Bcc))
	hdr("Reply-To", formatAddresses(o.ReplyTo))
	hdr("Subject", mime.QEncoding.Encode("utf-8", o.Subject))
	hdr("Message-ID", o.MessageID)
	hdr("In-Reply-To", o.InReplyTo)
	hdr("References", o.References)
	if o.Importance == "high" || o.Importance == "low" {
		hdr("Importance", o.Importance)
	}
	for _, h := range o.Headers {
		hdr(h.Name, mime.QEncoding.Encode("utf-8", h.Value))
	}
	hdr("MIME-Version", "1.0")

	var inline, attached []Attachment
	for _, a := range o.Attachments {
		if a.Inline && a.ContentID != "" && o.HTML != "" {
			inline = append(inline, a)
		} else {
			attached = append(attached, a)
		}
	}
	body := func(w *partWriter) error { return writeAlternative(w, o.Text, o.HTML, inline) }
	if len(attached) > 0 {
		inner := body
		body = func(w *partWriter) error {
			return w.multipart("mixed", func(mw *partWriter) error {
				if err := inner(mw); err != nil {
					return err
				}
				for _, a := range attached {
					if err := mw.attachment(a); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	if err := body(&partWriter{buf: &b}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func formatAddress(a Address) string {
	return (&mail.Address{Name: a.Name, Address: a.Address}).String()
}

func formatAddresses(as []Address) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = formatAddress(a)
	}
	return strings.Join(parts, ", ")
}

func writeAlternative(w *partWriter, text, html string, inline []Attachment) error {
	htmlPart := func(pw *partWriter) error {
		if len(inline) == 0 {
			return pw.text("html", html)
		}
		return pw.multipart("related", func(rw *partWriter) error {
			if err := rw.text("html", html); err != nil {
				return err
			}
			for _, a := range inline {
				if err := rw.attachment(a); err != nil {
					return err
				}
			}
			return nil
		})
	}
	switch {
	case html == "":
		return w.text("plain", text)
	case text == "":
		return htmlPart(w)
	}
	return w.multipart("alternative", func(aw *partWriter) error {
		if err := aw.text("plain", text); err != nil {
			return err
		}
		return htmlPart(aw)
	})
}

// partWriter writes either the top-level body (headers go to buf, then a blank line) or one
// part of an enclosing multipart.
type partWriter struct {
	buf *bytes.Buffer     // top level
	mw  *multipart.Writer // inside a multipart
}

func (w *partWriter) open(h textproto.MIMEHeader) (*bytes.Buffer, func() error, error) {
	if w.mw == nil {
		for _, k := range []string{"Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-Id"} {
			if v := h.Get(k); v != "" {
				w.buf.WriteString(k + ": " + v + "\r\n")
			}
		}
		w.buf.WriteString("\r\n")
		return w.buf, func() error { return nil }, nil
	}
	pw, err := w.mw.CreatePart(h)
	if err != nil {
		return nil, nil, err
	}
	var tmp bytes.Buffer
	return &tmp, func() error { _, err := pw.Write(tmp.Bytes()); return err }, nil
}

func (w *partWriter) multipart(sub string, fill func(*partWriter) error) error {
	var inner bytes.Buffer
	mw := multipart.NewWriter(&inner)
	if err := fill(&partWriter{mw: mw}); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	h := textproto.MIMEHeader{"Content-Type": {fmt.Sprintf("multipart/%s; boundary=%q", sub, mw.Boundary())}}
	out, done, err := w.open(h)
	if err != nil {
		return err
	}
	out.Write(inner.Bytes())
	return done()
}

func (w *partWriter) text(sub, s string) error {
	h := textproto.MIMEHeader{
		"Content-Type":              {"text/" + sub + "; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	}
	out, done, err := w.open(h)
	if err != nil {
		return err
	}
	qw := quotedprintable.NewWriter(out)
	if _, err := qw.Write([]byte(s)); err != nil {
		return err
	}
	if err := qw.Close(); err != nil {
		return err
	}
	return done()
}

func (w *partWriter) attachment(a Attachment) error {
	ctype := a.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	disp := "attachment"
	if a.Inline {
		disp = "inline"
	}
	h := textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(ctype, map[string]string{"name": a.Name})},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {mime.FormatMediaType(disp, map[string]string{"filename": a.Name})},
	}
	if a.ContentID != "" {
		h.Set("Content-Id", "<"+a.ContentID+">")
	}
	if a.Name == "" {
		h.Set("Content-Type", ctype)
		h.Set("Content-Disposition", disp)
	}
	out, done, err := w.open(h)
	if err != nil {
		return err
	}
	enc := base64.StdEncoding.EncodeToString(a.Data)
	for len(enc) > 76 {
		out.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	out.WriteString(enc + "\r\n")
	return done()
}
