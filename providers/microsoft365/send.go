package microsoft365

import (
	"context"
	"encoding/base64"
	"errors"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/mimemsg"
)

// inlineLimit is the attachment total that still fits one JSON request (Graph caps requests
// at 4 MB, and base64 grows content by a third); larger attachments go through upload sessions.
const inlineLimit = 3 << 20

// mimeLimit is the attachment total of a MIME send: the message is base64-encoded twice over
// (attachments inside the MIME, then the MIME itself) and must stay under Graph's 4 MB.
const mimeLimit = 2 << 20

// maxRecipients is Exchange Online's default recipient limit: addresses in to, cc and bcc
// of one message (an admin may lower it, or raise it to 1,000).
const maxRecipients = 500

// checkLimits refuses, before any request, a message Exchange Online would refuse: more
// than maxRecipients recipients, or over its 35 MB message size counted as sent (MIME,
// attachments base64-encoded, a third larger than the files).
func checkLimits(d providers.Draft) error {
	if n := len(d.To) + len(d.Cc) + len(d.Bcc); n > maxRecipients {
		return providers.Errorf(providers.InvalidArgument, Name, "send: the message has %d recipients in to, cc and bcc; Exchange Online accepts at most %d per message: send it in several messages", n, maxRecipients)
	}
	if size := mimemsg.EncodedSize(d); size > providers.MaxMessageBytes {
		return providers.Errorf(providers.InvalidArgument, Name, "send: the message is %s encoded; Exchange Online accepts at most %s per message (attachments grow by a third when encoded)", providers.FormatSize(size), providers.FormatSize(providers.MaxMessageBytes))
	}
	return nil
}

// Send sends d: with sendMail while its attachments stay under 3 MB, else as a draft whose
// large attachments are uploaded in sessions, then sent. The Message-ID is fixed first so
// that a send whose answer was lost is looked up in Sent Items instead of repeated.
func (m *mailbox) Send(ctx context.Context, d providers.Draft) (providers.SendResult, error) {
	if len(d.To)+len(d.Cc)+len(d.Bcc) == 0 {
		return providers.SendResult{}, providers.Errorf(providers.InvalidArgument, Name, "send: no recipients: give at least one address in to, cc or bcc")
	}
	if err := checkLimits(d); err != nil {
		return providers.SendResult{}, err
	}
	for name := range d.Headers {
		if !strings.HasPrefix(strings.ToLower(name), "x-") {
			return providers.SendResult{}, providers.Errorf(providers.InvalidArgument, Name, "send: header %q cannot be set: Microsoft Graph accepts only custom headers whose names start with X-", name)
		}
	}
	if d.MessageID == "" {
		d.MessageID = providers.NewMessageID(m.cfg.mailbox)
	}
	total := 0
	for _, a := range d.Attachments {
		total += len(a.Content)
	}
	var err error
	switch {
	case d.Text != "" && d.HTML != "" && total <= mimeLimit:
		err = m.sendMIME(ctx, d)
	case total <= inlineLimit:
		err = m.sendMail(ctx, d)
	default:
		err = m.sendLarge(ctx, d)
	}
	if err != nil {
		return providers.SendResult{}, err
	}
	return providers.SendResult{MessageID: d.MessageID}, nil
}

// sendMIME sends d as base64 MIME through sendMail: Graph's JSON message carries one body,
// so a draft with both a text and an HTML part is sent as multipart/alternative to keep the
// text part exactly as written.
func (m *mailbox) sendMIME(ctx context.Context, d providers.Draft) error {
	raw, err := mimemsg.Build(d, providers.Address{Address: m.cfg.mailbox}, time.Now())
	if err != nil {
		return providers.Errorf(providers.InvalidArgument, Name, "send: %v", err)
	}
	body := []byte(base64.StdEncoding.EncodeToString(raw))
	header := http.Header{"Content-Type": {"text/plain"}}
	return m.sendOnce(ctx, d.MessageID, func() error {
		resp, err := m.do(ctx, op{"send", "Mail.Send"}, http.MethodPost, m.userRel+"/sendMail", body, header)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	})
}

func (m *mailbox) sendMail(ctx context.Context, d providers.Draft) error {
	msg := draftMessage(d, d.Attachments)
	body := users.NewItemSendMailPostRequestBody()
	body.SetMessage(msg)
	save := true
	body.SetSaveToSentItems(&save)
	return m.sendOnce(ctx, d.MessageID, func() error {
		return users.NewItemSendMailRequestBuilderInternal(maps.Clone(m.path), m.adapter).Post(ctx, body, nil)
	})
}

// sendOnce runs post (a send) and, when its outcome is unknown, looks for the Message-ID in
// Sent Items before sending again, so that a message is neither lost nor sent twice.
func (m *mailbox) sendOnce(ctx context.Context, messageID string, post func() error) error {
	what := op{"send", "Mail.Send"}
	for attempt := 1; ; attempt++ {
		err := post()
		if err == nil || !errors.Is(err, errOutcomeUnknown) {
			return m.mapError(what, err)
		}
		found, ferr := m.findSent(ctx, messageID)
		if ferr != nil {
			return ferr
		}
		if found {
			return nil
		}
		if attempt == 3 {
			return m.mapError(what, err)
		}
	}
}

// findSent reports whether a message with this Message-ID is in Sent Items, waiting a little
// since Exchange files the copy shortly after accepting the send.
func (m *mailbox) findSent(ctx context.Context, messageID string) (bool, error) {
	for wait := time.Duration(0); wait <= 2*time.Second; wait += time.Second {
		if err := providers.Sleep(ctx, wait); err != nil {
			return false, err
		}
		id, err := m.findByMessageID(ctx, "sentitems", messageID)
		if id != "" || err != nil {
			return id != "", err
		}
	}
	return false, nil
}

// draftMessage renders d as a Graph message with the given attachments inline.
func draftMessage(d providers.Draft, attachments []providers.DraftAttachment) models.Messageable {
	msg := models.NewMessage()
	msg.SetSubject(&d.Subject)
	body := models.NewItemBody()
	kind, content := models.TEXT_BODYTYPE, d.Text
	if d.HTML != "" {
		// Graph carries one body; from HTML Exchange derives the text/plain alternative itself.
		kind, content = models.HTML_BODYTYPE, d.HTML
	}
	body.SetContentType(&kind)
	body.SetContent(&content)
	msg.SetBody(body)
	msg.SetToRecipients(recipients(d.To))
	msg.SetCcRecipients(recipients(d.Cc))
	msg.SetBccRecipients(recipients(d.Bcc))
	msg.SetReplyTo(recipients(d.ReplyTo))
	if d.From != nil {
		msg.SetFrom(recipients([]providers.Address{*d.From})[0])
	}
	msg.SetInternetMessageId(&d.MessageID)
	var headers []models.InternetMessageHeaderable
	for name, value := range d.Headers {
		h := models.NewInternetMessageHeader()
		h.SetName(&name)
		h.SetValue(&value)
		headers = append(headers, h)
	}
	if len(headers) > 0 {
		msg.SetInternetMessageHeaders(headers)
	}
	var atts []models.Attachmentable
	for _, a := range attachments {
		atts = append(atts, fileAttachment(a))
	}
	if len(atts) > 0 {
		msg.SetAttachments(atts)
	}
	return msg
}

func fileAttachment(a providers.DraftAttachment) models.Attachmentable {
	f := models.NewFileAttachment()
	f.SetName(&a.Name)
	f.SetContentBytes(a.Content)
	f.SetIsInline(&a.Inline)
	if a.ContentType != "" {
		f.SetContentType(&a.ContentType)
	}
	if a.ContentID != "" {
		f.SetContentId(&a.ContentID)
	}
	return f
}

func recipients(list []providers.Address) []models.Recipientable {
	out := make([]models.Recipientable, 0, len(list))
	for _, a := range list {
		e := models.NewEmailAddress()
		e.SetAddress(&a.Address)
		if a.Name != "" {
			e.SetName(&a.Name)
		}
		r := models.NewRecipient()
		r.SetEmailAddress(e)
		out = append(out, r)
	}
	return out
}
