package store

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/htmlindex"
)

// wordDecoder decodes RFC 2047 encoded words in any charset the WHATWG encoding list knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(input), nil
}}

// DecodeHeader decodes RFC 2047 encoded words in a header value; undecodable input comes back
// unchanged, as mail clients show it.
func DecodeHeader(v string) string {
	d, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// ParseAddressList parses an address header value (RFC 2047 names decoded). Malformed input
// gives nil.
func ParseAddressList(v string) []Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	list, err := (&mail.AddressParser{WordDecoder: wordDecoder}).ParseList(v)
	if err != nil {
		return nil
	}
	out := make([]Address, len(list))
	for i, a := range list {
		out[i] = Address{Name: a.Name, Address: a.Address}
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

// Bounds on a parsed message. Postfix refuses MIME nested deeper than 100 levels
// (mime_nesting_limit); Exchange Online limits the header block to 256 KB. Beyond them a message
// is refused (ErrInvalid): the part walk recurses once per level and every level is kept as a
// Part, so unbounded nesting costs stack and memory out of proportion to the message's size.
const (
	maxPartDepth   = 100
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
	root, err := w.walk(hs, body, "", 0)
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
	m.Preview = preview(m.Text, m.HTML)
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

// walk builds the Part for a header block and body at the given nesting depth. Children's
// bodies are sub-slices of body, not copies, so a deep tree costs no more than its bytes.
func (w *partWalker) walk(hs []Header, body []byte, partID string, depth int) (*Part, error) {
	if depth > maxPartDepth {
		return nil, fmt.Errorf("%w: MIME parts nest deeper than %d levels", ErrInvalid, maxPartDepth)
	}
	ctype := headerValue(hs, "Content-Type")
	mediaType, params, err := mime.ParseMediaType(ctype)
	if err != nil || mediaType == "" {
		mediaType, params = "text/plain", map[string]string{}
	}
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
			c, err := w.walk(mimeHeaders(child.Header), data, id, depth+1)
			if err != nil {
				return nil, err
			}
			p.Parts = append(p.Parts, c)
		}
		return p, nil
	}
	p.Data = decodeTransfer(headerValue(hs, "Content-Transfer-Encoding"), body)
	disposition, dparams, _ := mime.ParseMediaType(headerValue(hs, "Content-Disposition"))
	p.Filename = DecodeHeader(dparams["filename"])
	if p.Filename == "" {
		p.Filename = DecodeHeader(params["name"])
	}
	cid := strings.Trim(headerValue(hs, "Content-ID"), "<> ")
	isText := mediaType == "text/plain" || mediaType == "text/html"
	isAttachment := disposition == "attachment" || p.Filename != "" || (!isText && (cid != "" || disposition == "inline"))
	switch {
	case isAttachment:
		p.AttachmentID = w.newAttachmentID()
		w.attachments = append(w.attachments, Attachment{
			ID: p.AttachmentID, PartID: partID, Name: p.Filename, ContentType: mediaType,
			ContentID: cid, Inline: disposition == "inline" || (disposition == "" && cid != ""), Data: p.Data,
		})
	case mediaType == "text/plain" && w.text == "":
		w.text = decodeCharset(p.Data, params["charset"])
	case mediaType == "text/html" && w.html == "":
		w.html = decodeCharset(p.Data, params["charset"])
	}
	return p, nil
}

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

func decodeTransfer(encoding string, body []byte) []byte {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.TrimSpace(body)))
	case "quoted-printable":
		r = quotedprintable.NewReader(bytes.NewReader(body))
	default:
		return body
	}
	out, err := io.ReadAll(r)
	if err != nil && len(out) == 0 {
		return body
	}
	return out
}

func decodeCharset(data []byte, charset string) string {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if cs == "" || cs == "utf-8" || cs == "us-ascii" || cs == "utf8" {
		if utf8.Valid(data) && len(data) > 0 {
			// data is a slice of the message's Raw or its decoded part, neither ever modified
			// after parsing: share the bytes instead of holding the body twice.
			return unsafe.String(&data[0], len(data))
		}
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

var (
	scriptOrStyle = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)>`)
	htmlTag       = regexp.MustCompile(`(?s)<[^>]*>`)
)

// HTMLText returns the visible text of an HTML body: scripts, styles and tags removed,
// entities decoded.
func HTMLText(s string) string {
	s = scriptOrStyle.ReplaceAllString(s, " ")
	s = htmlTag.ReplaceAllString(s, " ")
	return html.UnescapeString(s)
}

func preview(text, htmlBody string) string {
	src := text
	if strings.TrimSpace(src) == "" {
		src = HTMLText(htmlBody)
	}
	// The first 255 characters with white space collapsed, reading no further than needed:
	// bodies can be megabytes long.
	var b strings.Builder
	n := 0
	for w := range strings.FieldsSeq(src) {
		if n > 0 {
			b.WriteByte(' ')
			n++
		}
		for _, r := range w {
			if n >= 255 {
				break
			}
			b.WriteRune(r)
			n++
		}
		if n >= 255 {
			break
		}
	}
	return b.String()
}
