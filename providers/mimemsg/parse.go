package mimemsg

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/internal/htmltext"
	"github.com/mailscript/mailscript/internal/mimedecode"
	"github.com/mailscript/mailscript/providers"
)

// Parse decodes an RFC 5322 message into a providers.Message: header fields (RFC 2047 decoded,
// ReceivedAt from the Date header), text and html in UTF-8, and attachments whose Content
// returns the decoded bytes held in memory; attachment ids are MIME part paths ("2", "1.2").
// Only an unreadable header is an error: a broken body keeps what was decoded before the fault,
// because a test must still see the message; multipart parts nested deeper than
// mimedecode.MaxDepth are read as leaves.
func Parse(raw []byte) (*providers.Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("mimemsg: the message header cannot be read: %w", err)
	}
	m := &providers.Message{}
	h := textproto.MIMEHeader(msg.Header)
	ApplyHeaders(m, h)
	walk(m, h, msg.Body, "", false, 0)
	Finish(m)
	return m, nil
}

func walk(m *providers.Message, h textproto.MIMEHeader, body io.Reader, path string, inRelated bool, depth int) {
	mediaType, params := mimedecode.MediaType(h.Get("Content-Type"))
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" && depth < mimedecode.MaxDepth {
		mr := multipart.NewReader(body, params["boundary"])
		for i := 1; ; i++ {
			// NextRawPart, not NextPart: NextPart decodes quoted-printable itself and drops
			// the header, and leaves base64 alone; one decoding path handles both.
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			child := strconv.Itoa(i)
			if path != "" {
				child = path + "." + child
			}
			// In multipart/related the first part is the root document, the rest its resources.
			walk(m, p.Header, p, child, mediaType == "multipart/related" && i > 1, depth+1)
		}
	}
	data, _ := io.ReadAll(body)
	l := Describe(h, inRelated)
	content := mimedecode.Transfer(l.Encoding, data)
	if path == "" {
		path = "1"
	}
	switch l.Kind {
	case PlainBody:
		m.Text = appendBody(m.Text, l.Text(content))
	case HTMLBody:
		m.HTML = appendBody(m.HTML, l.Text(content))
	default:
		m.Attachments = append(m.Attachments, providers.Attachment{
			ID:          path,
			Name:        l.Name,
			ContentType: l.MediaType,
			Size:        int64(len(content)),
			Inline:      l.Kind == Inline,
			ContentID:   l.ContentID,
			Content:     func(context.Context) ([]byte, error) { return content, nil },
		})
	}
}

// appendBody joins the inline text parts that some mailers split a body into (Apple Mail puts
// one before and one after each attachment).
func appendBody(have, part string) string {
	if have == "" {
		return part
	}
	return have + "\n" + part
}

// ApplyHeaders fills the header-derived fields of m from h: Headers (lower-cased names,
// RFC 2047 decoded values), Subject, From, To, Cc, Bcc, ReplyTo, MessageID and ReceivedAt (the
// Date header; services overwrite it with their own arrival time).
func ApplyHeaders(m *providers.Message, h textproto.MIMEHeader) {
	m.Headers = make(map[string][]string, len(h))
	for k, vs := range h {
		decoded := make([]string, len(vs))
		for i, v := range vs {
			decoded[i] = mimedecode.DecodeHeader(v)
		}
		m.Headers[strings.ToLower(k)] = decoded
	}
	m.Subject = mimedecode.DecodeHeader(h.Get("Subject"))
	if from := addresses(h.Get("From")); len(from) > 0 {
		m.From = from[0]
	}
	m.To = addresses(strings.Join(h.Values("To"), ", "))
	m.Cc = addresses(strings.Join(h.Values("Cc"), ", "))
	m.Bcc = addresses(strings.Join(h.Values("Bcc"), ", "))
	m.ReplyTo = addresses(strings.Join(h.Values("Reply-To"), ", "))
	m.Recipients = providers.RecipientsOf(m.To, m.Cc, h.Values("Delivered-To")...)
	m.MessageID = strings.TrimSpace(h.Get("Message-Id"))
	if d, err := mail.ParseDate(h.Get("Date")); err == nil {
		m.ReceivedAt = d
	}
}

// Finish gives Text and HTML "\n" line ends, derives Text from the HTML when there is no text
// part (as Exchange does), then what follows from the body: Links, Preview (when empty) and
// HasAttachments, which, as in Graph and Gmail's has:attachment, ignores inline images.
func Finish(m *providers.Message) {
	m.Text, m.HTML = providers.Newlines(m.Text), providers.Newlines(m.HTML)
	if m.Text == "" && m.HTML != "" {
		// What Exchange does for every HTML message, so one script reads the same text from
		// either provider.
		m.Text = htmltext.Text(m.HTML)
	}
	m.Links = providers.Links(m.Text, m.HTML)
	if m.Preview == "" {
		m.Preview = mimedecode.Preview(m.Text, m.HTML)
	}
	m.HasAttachments = false
	for _, a := range m.Attachments {
		if !a.Inline {
			m.HasAttachments = true
		}
	}
}
