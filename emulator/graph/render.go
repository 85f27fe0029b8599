package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/internal/htmltext"
)

// field and object keep JSON properties in Graph's order (encoding/json sorts map keys).
type field struct {
	Key   string
	Value any
}

type object []field

// MarshalJSON writes the object, and the objects inside it, into one buffer: letting
// encoding/json call MarshalJSON at each level would re-encode and re-compact every nested
// object once per level above it, which made a page of 500 messages cost the emulator three
// times what decoding it costs a client.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := writeValue(&b, enc, o); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeValue(b *bytes.Buffer, enc *json.Encoder, v any) error {
	switch v := v.(type) {
	case object:
		b.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(b, enc, f.Key); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeValue(b, enc, f.Value); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case []object:
		return writeList(b, enc, v)
	case []any:
		return writeList(b, enc, v)
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // the newline Encode ends with
	return nil
}

func writeList[T any](b *bytes.Buffer, enc *json.Encoder, vs []T) error {
	if vs == nil {
		b.WriteString("null")
		return nil
	}
	b.WriteByte('[')
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeValue(b, enc, v); err != nil {
			return err
		}
	}
	b.WriteByte(']')
	return nil
}

func graphTime(t time.Time) string {
	if t.IsZero() {
		return "0001-01-01T00:00:00Z"
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

func emailAddress(a store.Address) any {
	if a.Address == "" {
		return nil
	}
	return object{{"emailAddress", object{{"name", nameOr(a)}, {"address", a.Address}}}}
}

// nameOr gives the display name Exchange shows: the address when there is no name.
func nameOr(a store.Address) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Address
}

func recipients(as []store.Address) []any {
	out := make([]any, 0, len(as))
	for _, a := range as {
		out = append(out, emailAddress(a))
	}
	return out
}

// renderOpts are the per-request choices that shape a message.
type renderOpts struct {
	selected []string // $select; empty means the default property set
	expand   expansion
	bodyType string // "html" or "text" from Prefer: outlook.body-content-type
	draftsID string
	// attachContext gives attachments@odata.context for an expanded message.
	attachContext func(msgID string) string
}

// messageProps lists the default properties in Graph's order; selectable adds the ones only
// $select returns.
var messageProps = []string{
	"id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime",
	"sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance",
	"parentFolderId", "conversationId", "conversationIndex", "isDeliveryReceiptRequested",
	"isReadReceiptRequested", "isRead", "isDraft", "webLink", "inferenceClassification", "body",
	"sender", "from", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "flag",
}

var selectOnly = []string{"internetMessageHeaders", "uniqueBody"}

func knownMessageProp(p string) bool {
	for _, q := range append(messageProps, selectOnly...) {
		if strings.EqualFold(p, q) {
			return true
		}
	}
	return false
}

func (f *Face) renderMessage(m *store.Message, o renderOpts) object {
	props := messageProps
	if len(o.selected) > 0 {
		props = o.selected
	}
	out := object{{"@odata.etag", `W/"` + m.ChangeKey + `"`}}
	if len(o.selected) > 0 {
		out = append(out, field{"id", m.ID})
	}
	isDraft := m.FolderID == o.draftsID
	for _, p := range props {
		if v, ok := messageProp(m, p, o, isDraft); ok {
			out = append(out, field{p, v})
		}
	}
	if o.expand.attachments {
		out = f.expandAttachments(out, m, o)
	}
	return out
}

func messageProp(m *store.Message, p string, o renderOpts, isDraft bool) (any, bool) {
	switch p {
	case "id":
		return m.ID, true
	case "createdDateTime":
		return graphTime(m.CreatedAt), true
	case "lastModifiedDateTime":
		return graphTime(m.ModifiedAt), true
	case "changeKey":
		return m.ChangeKey, true
	case "categories":
		return append([]string{}, m.Categories...), true
	case "receivedDateTime":
		return graphTime(m.ReceivedAt), true
	case "sentDateTime":
		if m.SentAt.IsZero() {
			return graphTime(m.CreatedAt), true
		}
		return graphTime(m.SentAt), true
	case "hasAttachments":
		return m.HasAttachments(), true
	case "internetMessageId":
		return m.MessageID, true
	case "subject":
		return m.Subject, true
	case "bodyPreview":
		return m.Preview, true
	case "importance":
		return m.Importance, true
	case "parentFolderId":
		return m.FolderID, true
	case "conversationId":
		return m.ThreadID, true
	case "conversationIndex":
		sum := sha256.Sum256([]byte(m.ThreadID))
		return base64.StdEncoding.EncodeToString(append([]byte{0x01}, sum[:21]...)), true
	case "isDeliveryReceiptRequested", "isReadReceiptRequested":
		return false, true
	case "isRead":
		return m.IsRead, true
	case "isDraft":
		return isDraft, true
	case "webLink":
		return "https://outlook.office365.com/owa/?ItemID=" + url.QueryEscape(m.ID) + "&exvsurl=1&viewmodel=ReadMessageItem", true
	case "inferenceClassification":
		return "focused", true
	case "body", "uniqueBody":
		ct, content := messageBody(m, o.bodyType)
		return object{{"contentType", ct}, {"content", content}}, true
	case "sender":
		return emailAddress(m.Sender), true
	case "from":
		return emailAddress(m.From), true
	case "toRecipients":
		return recipients(m.To), true
	case "ccRecipients":
		return recipients(m.Cc), true
	case "bccRecipients":
		return recipients(m.Bcc), true
	case "replyTo":
		return recipients(m.ReplyTo), true
	case "flag":
		status := "notFlagged"
		if m.Flagged {
			status = "flagged"
		}
		return object{{"flagStatus", status}}, true
	case "internetMessageHeaders":
		// A draft has not been through transport: Exchange shows only the x- headers the client
		// set on it.
		hs := make([]any, 0, len(m.Headers))
		for _, h := range m.Headers {
			if !isDraft || strings.HasPrefix(strings.ToLower(h.Name), "x-") {
				hs = append(hs, object{{"name", h.Name}, {"value", h.Value}})
			}
		}
		return hs, true
	}
	return nil, false
}

// messageBody picks HTML when the message has it, unless Prefer asked for text. Exchange keeps
// one body per message, so the text of a message that came with HTML is a conversion of the
// HTML even when the sender also sent a text part; a text-only message asked for as HTML is
// wrapped the way Exchange converts it.
func messageBody(m *store.Message, prefer string) (string, string) {
	switch {
	case prefer == "text" && m.HTML != "":
		return "text", htmltext.Text(m.HTML)
	case prefer == "text":
		return "text", m.Text
	case m.HTML != "":
		return "html", m.HTML
	case prefer == "html":
		return "html", "<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div>" +
			strings.ReplaceAll(html.EscapeString(m.Text), "\n", "<br>") + "</div></body></html>"
	}
	return "text", m.Text
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (f *Face) contextURL(c *call, suffix string) string {
	return f.opts.BaseURL() + "/v1.0/$metadata#users('" + url.PathEscape(c.mb.ID) + "')" + suffix
}
