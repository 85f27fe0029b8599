package store

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mailscript/mailscript/internal/mimedecode"
)

// DecodeHeader decodes RFC 2047 encoded words in a header value; undecodable input comes back
// unchanged, as mail clients show it. The providers decode with the same rules.
func DecodeHeader(v string) string { return mimedecode.DecodeHeader(v) }

// ParseAddressList parses an address header value (RFC 2047 names decoded); an entry the
// parser rejects keeps its raw text as the address, as the providers read it.
func ParseAddressList(v string) []Address {
	list := mimedecode.AddressList(v)
	if list == nil {
		return nil
	}
	out := make([]Address, len(list))
	for i, a := range list {
		out[i] = Address(a)
	}
	return out
}

// splitMessage cuts raw into its header block and body at the first empty line.
func splitMessage(raw []byte) (head, body []byte) {
	if len(raw) > 0 && (raw[0] == '\n' || bytes.HasPrefix(raw, []byte("\r\n"))) {
		return nil, bytes.TrimPrefix(bytes.TrimPrefix(raw, []byte("\r")), []byte("\n"))
	}
	crlf := bytes.Index(raw, []byte("\r\n\r\n"))
	lf := bytes.Index(raw, []byte("\n\n"))
	switch {
	case crlf >= 0 && (lf < 0 || crlf < lf):
		return raw[:crlf+2], raw[crlf+4:]
	case lf >= 0:
		return raw[:lf+1], raw[lf+2:]
	}
	return raw, nil
}

// parseHeaderBlock reads header fields in order, unfolding continuation lines.
func parseHeaderBlock(head []byte) []Header {
	var out []Header
	for _, line := range strings.Split(string(head), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].Value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		out = append(out, Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	return out
}

func headerValue(hs []Header, name string) string {
	for _, h := range hs {
		if equalFoldASCII(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Bounds on a parsed message: mimedecode.MaxDepth levels of MIME parts (as Postfix), and
// Exchange Online's 256 KB header block. Beyond them a message is refused (ErrInvalid): the part
// walk recurses once per level and every level is kept as a Part, so unbounded nesting costs
// stack and memory out of proportion to the message's size.
const (
	maxPartDepth   = mimedecode.MaxDepth
	maxHeaderBlock = 256 << 10
)

// parseMessage fills m's parsed fields from raw. newAttachmentID names each attachment found.
func parseMessage(raw []byte, m *Message, newAttachmentID func() string) error {
	head, body := splitMessage(raw)
	if len(head) > maxHeaderBlock {
		return fmt.Errorf("%w: the header block is %d bytes; at most %d KB are accepted", ErrInvalid, len(head), maxHeaderBlock>>10)
	}
	hs := parseHeaderBlock(head)
	if len(hs) == 0 {
		return fmt.Errorf("%w: message has no header fields (RFC 5322 needs at least From or Subject)", ErrInvalid)
	}
	w := &partWalker{newAttachmentID: newAttachmentID}
	root, err := w.walk(hs, body, "", false, 0)
	if err != nil {
		return err
	}
	m.Raw = raw
	m.Headers = hs
	m.MessageID = headerValue(hs, "Message-ID")
	m.InReplyTo = headerValue(hs, "In-Reply-To")
	m.References = headerValue(hs, "References")
	m.Subject = DecodeHeader(headerValue(hs, "Subject"))
	if from := ParseAddressList(headerValue(hs, "From")); len(from) > 0 {
		m.From = from[0]
	}
	if sender := ParseAddressList(headerValue(hs, "Sender")); len(sender) > 0 {
		m.Sender = sender[0]
	} else {
		m.Sender = m.From
	}
	m.To = ParseAddressList(headerValue(hs, "To"))
	m.Cc = ParseAddressList(headerValue(hs, "Cc"))
	m.Bcc = ParseAddressList(headerValue(hs, "Bcc"))
	m.ReplyTo = ParseAddressList(headerValue(hs, "Reply-To"))
	m.SentAt = time.Time{}
	if d, err := mail.ParseDate(headerValue(hs, "Date")); err == nil {
		m.SentAt = d
	}
	m.Importance = importance(hs)
	m.Text, m.HTML, m.Attachments = w.text, w.html, w.attachments
	m.Root = root
	m.Preview = mimedecode.Preview(m.Text, m.HTML)
	return nil
}

func importance(hs []Header) string {
	v := strings.ToLower(headerValue(hs, "Importance"))
	if v == "" {
		switch p := headerValue(hs, "X-Priority"); {
		case strings.HasPrefix(p, "1"), strings.HasPrefix(p, "2"):
			v = "high"
		case strings.HasPrefix(p, "4"), strings.HasPrefix(p, "5"):
			v = "low"
		}
	}
	if v != "high" && v != "low" {
		v = "normal"
	}
	return v
}

// partWalker collects what a message's MIME tree yields besides the tree itself.
type partWalker struct {
	newAttachmentID func() string
	text, html      string
	attachments     []Attachment
}

// walk builds the Part for a header block and body at the given nesting depth; inRelated says
// the part is a resource of a multipart/related. Children's bodies are sub-slices of body, not
// copies, so a deep tree costs no more than its bytes. Leaves are classified and decoded by
// mimedecode, as the providers do; the first text/plain and text/html leaves are the bodies.
func (w *partWalker) walk(hs []Header, body []byte, partID string, inRelated bool, depth int) (*Part, error) {
	if depth > maxPartDepth {
		return nil, fmt.Errorf("%w: MIME parts nest deeper than %d levels", ErrInvalid, maxPartDepth)
	}
	mediaType, params := mimedecode.MediaType(headerValue(hs, "Content-Type"))
	p := &Part{PartID: partID, MimeType: mediaType, Headers: hs}
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		from := 0
		for i := 0; ; i++ {
			child, err := mr.NextRawPart()
			if err != nil {
				break
			}
			data, err := io.ReadAll(child)
			if err != nil {
				break
			}
			data, from = alias(body, data, from)
			id := strconv.Itoa(i)
			if partID != "" {
				id = partID + "." + id
			}
			c, err := w.walk(mimeHeaders(child.Header), data, id, mediaType == "multipart/related" && i > 0, depth+1)
			if err != nil {
				return nil, err
			}
			p.Parts = append(p.Parts, c)
		}
		return p, nil
	}
	l := mimedecode.Describe(fields(hs), inRelated)
	p.Data = mimedecode.Transfer(l.Encoding, body)
	p.Filename = l.Name
	switch {
	case l.Kind == mimedecode.Attachment || l.Kind == mimedecode.Inline:
		p.AttachmentID = w.newAttachmentID()
		w.attachments = append(w.attachments, Attachment{
			ID: p.AttachmentID, PartID: partID, Name: l.Name, ContentType: mediaType,
			ContentID: l.ContentID, Inline: l.Kind == mimedecode.Inline, Data: p.Data,
		})
	case l.Kind == mimedecode.PlainBody && w.text == "":
		w.text = mimedecode.Charset(l.Charset, p.Data)
	case l.Kind == mimedecode.HTMLBody && w.html == "":
		w.html = mimedecode.Charset(l.Charset, p.Data)
	}
	return p, nil
}

// fields gives a part's header to mimedecode.
type fields []Header

func (f fields) Get(name string) string { return headerValue(f, name) }

// alias returns the sub-slice of body, at or after from, that holds the same bytes as data (a
// raw part multipart.Reader copied out of body), and where the search may resume; data itself
// when it is not found. The copy then becomes garbage at once instead of living on in the tree.
func alias(body, data []byte, from int) ([]byte, int) {
	if len(data) == 0 {
		return nil, from
	}
	i := bytes.Index(body[from:], data)
	if i < 0 {
		return data, from
	}
	end := from + i + len(data)
	return body[from+i : end : end], end
}

// mimeHeaders turns a part's header map into fields, Content-* first for readability.
func mimeHeaders(h textproto.MIMEHeader) []Header {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		ci, cj := strings.HasPrefix(names[i], "Content-"), strings.HasPrefix(names[j], "Content-")
		if ci != cj {
			return ci
		}
		return names[i] < names[j]
	})
	var out []Header
	for _, n := range names {
		for _, v := range h[n] {
			out = append(out, Header{Name: n, Value: v})
		}
	}
	return out
}
