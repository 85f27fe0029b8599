package mail

import (
	"context"
	"encoding/base64"
	"maps"
	"mime"
	"slices"
	"time"

	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/providers"
)

// MaxEmbeddedPart is the largest attachment or inline part whose bytes a report's message
// view carries (as a data: URL); larger parts are listed without their bytes, so that a
// report stays small.
const MaxEmbeddedPart = 2 << 20

// MaxRawSource is the largest RFC 5322 source a report keeps of a message.
const MaxRawSource = 10 << 20

// partsBudget bounds the time spent getting a read message's source and parts for the
// report. Gmail sends small parts with the message; the source (unless the script read it
// with format 'raw'), Graph's parts and Gmail's larger ones are fetched. That work is the
// report's, done only while a timeline is recorded, through the provider directly (it is no
// step of the test); what it cannot get in time is left out rather than slowing the test
// further or failing it.
const partsBudget = 10 * time.Second

// messageView is a message read from box as the report shows it.
func messageView(ctx context.Context, box providers.Mailbox, msg *providers.Message) *mailview.Message {
	v := &mailview.Message{
		ID: msg.ID, Subject: msg.Subject, From: viewAddress(msg.From), To: viewAddresses(msg.To),
		Cc: viewAddresses(msg.Cc), Bcc: viewAddresses(msg.Bcc), ReplyTo: viewAddresses(msg.ReplyTo),
		Date: msg.ReceivedAt, Folder: msg.Folder, IsRead: msg.IsRead, Text: msg.Text, HTML: msg.HTML,
		Links: msg.Links, Raw: msg.Raw,
	}
	// The providers keep headers by name, not in the message's order.
	for _, name := range slices.Sorted(maps.Keys(msg.Headers)) {
		for _, value := range msg.Headers[name] {
			v.Headers = append(v.Headers, mailview.Header{Name: name, Value: value})
		}
	}
	ctx, cancel := context.WithTimeout(ctx, partsBudget)
	defer cancel()
	if v.Raw == nil {
		if full, err := box.Read(ctx, msg.ID, providers.ReadOptions{Raw: true}); err == nil {
			v.Raw = full.Raw
		}
	}
	if len(v.Raw) > MaxRawSource {
		v.Raw = nil
	}
	for _, a := range msg.Attachments {
		p := mailview.Part{Name: a.Name, ContentType: a.ContentType, Size: a.Size, ContentID: a.ContentID, Inline: a.Inline}
		if a.Content != nil && a.Size <= MaxEmbeddedPart && ctx.Err() == nil {
			if b, err := a.Content(ctx); err == nil && len(b) <= MaxEmbeddedPart {
				p.URL, p.Size = dataURL(a.ContentType, b), int64(len(b))
			}
		}
		v.Attachments = append(v.Attachments, p)
	}
	return v
}

// draftView is a sent message as the report shows it: from the draft, which holds every
// byte already.
func draftView(d providers.Draft, from string, sent providers.SendResult) *mailview.Message {
	v := &mailview.Message{
		ID: sent.MessageID, Subject: d.Subject, From: mailview.Address{Address: from}, To: viewAddresses(d.To),
		Cc: viewAddresses(d.Cc), Bcc: viewAddresses(d.Bcc), ReplyTo: viewAddresses(d.ReplyTo),
		Date: time.Now(), Folder: "sent", IsRead: true, Text: d.Text, HTML: d.HTML,
		Links:   providers.Links(d.Text, d.HTML),
		Headers: []mailview.Header{{Name: "message-id", Value: sent.MessageID}},
	}
	if d.From != nil {
		v.From = viewAddress(*d.From)
	}
	for _, name := range slices.Sorted(maps.Keys(d.Headers)) {
		v.Headers = append(v.Headers, mailview.Header{Name: name, Value: d.Headers[name]})
	}
	for _, a := range d.Attachments {
		p := mailview.Part{Name: a.Name, ContentType: a.ContentType, Size: int64(len(a.Content)), ContentID: a.ContentID, Inline: a.Inline}
		if len(a.Content) <= MaxEmbeddedPart {
			p.URL = dataURL(a.ContentType, a.Content)
		}
		v.Attachments = append(v.Attachments, p)
	}
	return v
}

// dataURL embeds b under its media type (parameters dropped: a data: URL takes none with
// spaces, and a browser needs only the type to show an image or offer a download).
func dataURL(contentType string, b []byte) string {
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil || media == "" {
		media = "application/octet-stream"
	}
	return "data:" + media + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func viewAddress(a providers.Address) mailview.Address {
	return mailview.Address{Name: a.Name, Address: a.Address}
}

func viewAddresses(list []providers.Address) []mailview.Address {
	if len(list) == 0 {
		return nil
	}
	out := make([]mailview.Address, len(list))
	for i, a := range list {
		out[i] = viewAddress(a)
	}
	return out
}
