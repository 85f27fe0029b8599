package mimemsg

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/mailscript/mailscript/internal/mimedecode"
	"github.com/mailscript/mailscript/providers"
)

// reserved headers come from the draft's own fields or from the MIME structure; setting them
// through Draft.Headers would contradict those.
var reserved = []string{"From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-Id",
	"Mime-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition"}

// Build renders d as an RFC 5322 message sent by from at date: non-ASCII subjects, names and
// header values RFC 2047-encoded, text and html as multipart/alternative, inline attachments
// with the html in multipart/related, other attachments in multipart/mixed, text as
// quoted-printable and attachments as base64 in 76-character lines. d.From, when set,
// overrides from. The Bcc header is kept: Gmail's send reads recipients from the headers and
// strips it. An empty d.MessageID gets a fresh one.
func Build(d providers.Draft, from providers.Address, date time.Time) ([]byte, error) {
	if d.From != nil {
		from = *d.From
	}
	if err := checkAddresses(d, from); err != nil {
		return nil, err
	}
	msgID := d.MessageID
	if msgID == "" {
		msgID = providers.NewMessageID(from.Address)
	}
	root, err := bodyTree(d)
	if err != nil {
		return nil, err
	}
	head, body := root.render()

	var buf bytes.Buffer
	write := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	line := func(field string) { buf.WriteString(field + "\r\n") }
	line(addressField("From", []providers.Address{from}))
	for _, f := range []struct {
		key  string
		list []providers.Address
	}{{"To", d.To}, {"Cc", d.Cc}, {"Bcc", d.Bcc}, {"Reply-To", d.ReplyTo}} {
		if len(f.list) > 0 {
			line(addressField(f.key, f.list))
		}
	}
	line(headerField("Subject", d.Subject))
	write("Date", date.Format(time.RFC1123Z))
	write("Message-ID", msgID)
	keys := make([]string, 0, len(d.Headers))
	for k := range d.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		line(headerField(k, d.Headers[k]))
	}
	write("MIME-Version", "1.0")
	for _, k := range []string{"Content-Type", "Content-Transfer-Encoding"} {
		if v := head.Get(k); v != "" {
			write(k, v)
		}
	}
	buf.WriteString("\r\n")
	buf.Write(body)
	return buf.Bytes(), nil
}

func checkAddresses(d providers.Draft, from providers.Address) error {
	if len(d.To)+len(d.Cc)+len(d.Bcc) == 0 {
		return fmt.Errorf("draft has no recipients: set to, cc or bcc")
	}
	if _, err := mail.ParseAddress(from.Address); err != nil {
		return fmt.Errorf("from: %q is not an e-mail address", from.Address)
	}
	for _, f := range []struct {
		field string
		list  []providers.Address
	}{{"to", d.To}, {"cc", d.Cc}, {"bcc", d.Bcc}, {"replyTo", d.ReplyTo}} {
		for i, a := range f.list {
			if _, err := mail.ParseAddress(a.Address); err != nil {
				return fmt.Errorf("%s[%d]: %q is not an e-mail address", f.field, i, a.Address)
			}
		}
	}
	for k, v := range d.Headers {
		if !validHeaderName(k) {
			return fmt.Errorf("headers: %q is not a valid header name (letters, digits and '-' only)", k)
		}
		if slices.Contains(reserved, textproto.CanonicalMIMEHeaderKey(k)) {
			return fmt.Errorf("headers: %q is set from the draft's own fields; use those instead", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("headers: the value of %q contains a line break", k)
		}
	}
	return nil
}

func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// node is one MIME entity to render: a leaf with its encoded body, or a multipart.
type node struct {
	header  textproto.MIMEHeader
	body    []byte
	subtype string // "mixed", "alternative", "related" for a multipart
	kids    []*node
}

func bodyTree(d providers.Draft) (*node, error) {
	var body *node
	switch {
	case d.Text != "" && d.HTML != "":
		body = &node{subtype: "alternative", kids: []*node{textNode("text/plain", d.Text), textNode("text/html", d.HTML)}}
	case d.HTML != "":
		body = textNode("text/html", d.HTML)
	default:
		body = textNode("text/plain", d.Text)
	}
	var inline, attached []*node
	for i, a := range d.Attachments {
		if a.Name == "" {
			return nil, fmt.Errorf("attachments[%d]: name is required", i)
		}
		n := attachmentNode(a)
		if a.Inline {
			inline = append(inline, n)
		} else {
			attached = append(attached, n)
		}
	}
	if len(inline) > 0 {
		body = &node{subtype: "related", kids: append([]*node{body}, inline...)}
	}
	if len(attached) > 0 {
		body = &node{subtype: "mixed", kids: append([]*node{body}, attached...)}
	}
	return body, nil
}

func textNode(mediaType, text string) *node {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	_, _ = w.Write([]byte(text)) // writes to a bytes.Buffer cannot fail
	_ = w.Close()
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", mime.FormatMediaType(mediaType, map[string]string{"charset": "utf-8"}))
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	return &node{header: h, body: buf.Bytes()}
}

func attachmentNode(a providers.DraftAttachment) *node {
	contentType := a.ContentType
	if contentType == "" {
		contentType = mime.TypeByExtension(path.Ext(a.Name))
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	mediaType, params := mimedecode.MediaType(contentType)
	params["name"] = a.Name
	disposition := "attachment"
	h := textproto.MIMEHeader{}
	if a.Inline {
		disposition = "inline"
		if a.ContentID != "" {
			h.Set("Content-ID", "<"+strings.Trim(a.ContentID, "<>")+">")
		}
	}
	// FormatMediaType writes non-ASCII names as RFC 2231 parameters.
	h.Set("Content-Type", mediaTypeField("Content-Type", mediaType, params))
	h.Set("Content-Disposition", mediaTypeField("Content-Disposition", disposition, map[string]string{"filename": a.Name}))
	h.Set("Content-Transfer-Encoding", "base64")
	var buf bytes.Buffer
	buf.Grow(base64.StdEncoding.EncodedLen(len(a.Content)) * 78 / 76)
	enc := base64.NewEncoder(base64.StdEncoding, &lineWriter{w: &buf})
	_, _ = enc.Write(a.Content)
	_ = enc.Close()
	return &node{header: h, body: buf.Bytes()}
}

// render returns the entity's header and body; a multipart's header carries its boundary.
func (n *node) render() (textproto.MIMEHeader, []byte) {
	if n.subtype == "" {
		return n.header, n.body
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range n.kids {
		h, b := k.render()
		pw, _ := mw.CreatePart(h) // writes to a bytes.Buffer cannot fail
		_, _ = pw.Write(b)
	}
	_ = mw.Close()
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", mediaTypeField("Content-Type", "multipart/"+n.subtype, map[string]string{"boundary": mw.Boundary()}))
	return h, buf.Bytes()
}

// lineWriter breaks base64 output into the 76-character lines RFC 2045 requires; the standard
// library's encoder writes one long line.
type lineWriter struct {
	w   io.Writer
	col int
}

func (l *lineWriter) Write(p []byte) (int, error) {
	const width = 76
	n := len(p)
	for len(p) > 0 {
		chunk := min(width-l.col, len(p))
		if _, err := l.w.Write(p[:chunk]); err != nil {
			return 0, err
		}
		p = p[chunk:]
		l.col += chunk
		if l.col == width {
			if _, err := l.w.Write([]byte("\r\n")); err != nil {
				return 0, err
			}
			l.col = 0
		}
	}
	return n, nil
}
