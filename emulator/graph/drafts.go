package graph

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

type jsonRecipient struct {
	EmailAddress struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"emailAddress"`
}

type jsonHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type jsonAttachment struct {
	ODataType    string `json:"@odata.type"`
	Name         string `json:"name"`
	ContentType  string `json:"contentType"`
	ContentBytes string `json:"contentBytes"`
	ContentID    string `json:"contentId"`
	IsInline     bool   `json:"isInline"`
}

// draftFields are the content properties of a message: settable on create, and by PATCH on
// drafts only.
type draftFields struct {
	Subject *string `json:"subject"`
	Body    *struct {
		ContentType string `json:"contentType"`
		Content     string `json:"content"`
	} `json:"body"`
	ToRecipients           *[]jsonRecipient `json:"toRecipients"`
	CcRecipients           *[]jsonRecipient `json:"ccRecipients"`
	BccRecipients          *[]jsonRecipient `json:"bccRecipients"`
	ReplyTo                *[]jsonRecipient `json:"replyTo"`
	InternetMessageHeaders *[]jsonHeader    `json:"internetMessageHeaders"`
	InternetMessageID      *string          `json:"internetMessageId"`
	Attachments            []jsonAttachment `json:"attachments"`
}

func (d draftFields) any() bool { return d.first() != "" }

func (d draftFields) first() string {
	switch {
	case d.Subject != nil:
		return "subject"
	case d.Body != nil:
		return "body"
	case d.ToRecipients != nil:
		return "toRecipients"
	case d.CcRecipients != nil:
		return "ccRecipients"
	case d.BccRecipients != nil:
		return "bccRecipients"
	case d.ReplyTo != nil:
		return "replyTo"
	case d.InternetMessageHeaders != nil:
		return "internetMessageHeaders"
	case d.InternetMessageID != nil:
		return "internetMessageId"
	}
	return ""
}

func addresses(rs []jsonRecipient) []store.Address {
	out := make([]store.Address, len(rs))
	for i, r := range rs {
		out[i] = store.Address{Name: r.EmailAddress.Name, Address: r.EmailAddress.Address}
	}
	return out
}

// outgoingOf turns a stored draft back into fields, so edits can re-render it.
func outgoingOf(m *store.Message) store.Outgoing {
	o := store.Outgoing{
		From: m.From, To: m.To, Cc: m.Cc, Bcc: m.Bcc, ReplyTo: m.ReplyTo, Subject: m.Subject,
		Text: m.Text, HTML: m.HTML, Importance: m.Importance, Attachments: m.Attachments,
		MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References,
	}
	for _, h := range m.Headers {
		if strings.HasPrefix(strings.ToLower(h.Name), "x-") {
			o.Headers = append(o.Headers, store.Header{Name: h.Name, Value: store.DecodeHeader(h.Value)})
		}
	}
	return o
}

// validate applies the service's checks on content fields.
func (d draftFields) validate() *apiError {
	if d.InternetMessageHeaders != nil {
		for _, h := range *d.InternetMessageHeaders {
			if !strings.HasPrefix(strings.ToLower(h.Name), "x-") {
				return newError(http.StatusBadRequest, "InvalidInternetMessageHeader", "The internet message header name '"+h.Name+"' should start with 'x-' or 'X-'.")
			}
		}
	}
	for _, a := range d.Attachments {
		if a.ODataType != "" && a.ODataType != "#microsoft.graph.fileAttachment" {
			return errBadRequest("Only #microsoft.graph.fileAttachment is supported by the emulator; got '" + a.ODataType + "'.")
		}
		if _, err := base64.StdEncoding.DecodeString(a.ContentBytes); err != nil {
			return errBadRequest("Cannot convert the literal '" + a.Name + "' contentBytes to the expected type 'Edm.Binary'.")
		}
	}
	return nil
}

// apply merges the fields into o.
func (d draftFields) apply(o *store.Outgoing) {
	if d.Subject != nil {
		o.Subject = *d.Subject
	}
	if d.Body != nil {
		if strings.EqualFold(d.Body.ContentType, "html") {
			o.HTML, o.Text = d.Body.Content, ""
		} else {
			o.Text, o.HTML = d.Body.Content, ""
		}
	}
	set := func(dst *[]store.Address, src *[]jsonRecipient) {
		if src != nil {
			*dst = addresses(*src)
		}
	}
	set(&o.To, d.ToRecipients)
	set(&o.Cc, d.CcRecipients)
	set(&o.Bcc, d.BccRecipients)
	set(&o.ReplyTo, d.ReplyTo)
	if d.InternetMessageHeaders != nil {
		o.Headers = nil
		for _, h := range *d.InternetMessageHeaders {
			o.Headers = append(o.Headers, store.Header{Name: h.Name, Value: h.Value})
		}
	}
	if d.InternetMessageID != nil {
		o.MessageID = *d.InternetMessageID
	}
	for _, a := range d.Attachments {
		data, _ := base64.StdEncoding.DecodeString(a.ContentBytes)
		o.Attachments = append(o.Attachments, store.Attachment{Name: a.Name, ContentType: a.ContentType, ContentID: a.ContentID, Inline: a.IsInline, Data: data})
	}
}

func (f *Face) applyDraft(c *call, m *store.Message, d draftFields) []byte {
	o := outgoingOf(m)
	d.apply(&o)
	return f.compose(c, o)
}

// compose renders o as sent by the call's mailbox.
func (f *Face) compose(c *call, o store.Outgoing) []byte {
	o.From = store.Address{Name: c.mb.DisplayName, Address: c.mb.Address}
	raw, _ := store.Compose(o)
	return raw
}

type messageCreate struct {
	draftFields
	Importance *string `json:"importance"`
}

func (f *Face) createDraft(c *call, folder string) *apiError {
	var body messageCreate
	if e := decodeJSON(c.r, &body); e != nil {
		return e
	}
	if e := body.validate(); e != nil {
		return e
	}
	var o store.Outgoing
	body.apply(&o)
	if body.Importance != nil {
		o.Importance = strings.ToLower(*body.Importance)
	}
	if folder == "" {
		folder = store.Drafts
	}
	m, err := f.store.Insert(c.mb.ID, f.compose(c, o), store.InsertOptions{Folder: folder, IsRead: true})
	if err != nil {
		return storeError(err)
	}
	c.w.Header().Set("Location", f.messageURL(c.mb.ID, m.ID))
	writeJSON(c.w, http.StatusCreated, append(object{{"@odata.context", f.contextURL(c, "/messages/$entity")}}, f.renderMessage(m, renderOpts{draftsID: f.draftsID(c.mb.ID)})...))
	return nil
}

func errNoRecipients() *apiError {
	return newError(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.")
}

// maxRecipients and maxMessageBytes are Exchange Online's default limits on one message:
// 500 addresses in to, cc and bcc, and 35 MB as sent (MIME, attachments base64-encoded).
// Exchange checks them when the message is submitted, not while a draft is edited.
const (
	maxRecipients   = 500
	maxMessageBytes = 35 << 20
)

// errTooManyRecipients and errMessageTooLarge answer a submission over those limits. Graph's
// documentation names no error for them; the codes are Exchange's (EWS) for the same checks.
func errTooManyRecipients(n int) *apiError {
	return newError(http.StatusBadRequest, "ErrorTooManyRecipients", fmt.Sprintf("The message has %d recipients; the maximum number of recipients per message is %d.", n, maxRecipients))
}

func errMessageTooLarge() *apiError {
	return newError(http.StatusRequestEntityTooLarge, "ErrorMessageSizeExceeded", "The message exceeds the maximum supported size.")
}

// checkRecipients refuses what Exchange cannot resolve, and more than it submits at once.
func checkRecipients(to, cc, bcc []store.Address) *apiError {
	if len(to)+len(cc)+len(bcc) == 0 {
		return errNoRecipients()
	}
	if n := len(to) + len(cc) + len(bcc); n > maxRecipients {
		return errTooManyRecipients(n)
	}
	for _, list := range [][]store.Address{to, cc, bcc} {
		for _, a := range list {
			if !strings.Contains(a.Address, "@") {
				return newError(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient '"+a.Address+"' is not resolved. All recipients must be resolved before a message can be submitted.")
			}
		}
	}
	return nil
}

// sendMail accepts a JSON message or, with Content-Type text/plain, base64 MIME.
func (f *Face) sendMail(c *call) *apiError {
	var raw []byte
	save := true
	if strings.HasPrefix(c.r.Header.Get("Content-Type"), "text/plain") {
		b64, err := io.ReadAll(c.r.Body)
		if err != nil {
			return errBadRequest("Unable to read the request body.")
		}
		if raw, err = base64.StdEncoding.DecodeString(strings.TrimSpace(string(b64))); err != nil {
			return newError(http.StatusBadRequest, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.")
		}
		parsed, e := parseMIME(raw)
		if e != nil {
			return e
		}
		if e := checkRecipients(parsed.To, parsed.Cc, parsed.Bcc); e != nil {
			return e
		}
	} else {
		var body struct {
			Message         *messageCreate `json:"message"`
			SaveToSentItems *bool          `json:"saveToSentItems"`
		}
		if e := decodeJSON(c.r, &body); e != nil {
			return e
		}
		if body.Message == nil {
			return errInvalidRequest("The message parameter is required.")
		}
		if body.SaveToSentItems != nil {
			save = *body.SaveToSentItems
		}
		if e := body.Message.validate(); e != nil {
			return e
		}
		var o store.Outgoing
		body.Message.apply(&o)
		if body.Message.Importance != nil {
			o.Importance = strings.ToLower(*body.Message.Importance)
		}
		if e := checkRecipients(o.To, o.Cc, o.Bcc); e != nil {
			return e
		}
		raw = f.compose(c, o)
	}
	if _, err := f.store.Deliver(raw, c.mb.ID, save); err != nil {
		return storeError(err)
	}
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}

// parseMIME checks that MIME content parses and reads its recipients.
func parseMIME(raw []byte) (store.Outgoing, *apiError) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return store.Outgoing{}, errBadRequest("Invalid MIME content.")
	}
	h := msg.Header
	return store.Outgoing{
		To: store.ParseAddressList(h.Get("To")), Cc: store.ParseAddressList(h.Get("Cc")), Bcc: store.ParseAddressList(h.Get("Bcc")),
	}, nil
}

func (f *Face) sendDraft(c *call, id string) *apiError {
	m, err := f.store.Get(c.mb.ID, id)
	if err != nil {
		return storeError(err)
	}
	if m.FolderID != f.draftsID(c.mb.ID) {
		return newError(http.StatusBadRequest, "ErrorInvalidOperation", "Only drafts can be sent.")
	}
	if e := checkRecipients(m.To, m.Cc, m.Bcc); e != nil {
		return e
	}
	if len(m.Raw) > maxMessageBytes {
		return errMessageTooLarge()
	}
	if _, err := f.store.Deliver(m.Raw, c.mb.ID, true); err != nil {
		return storeError(err)
	}
	if err := f.store.Delete(c.mb.ID, id); err != nil {
		return storeError(err)
	}
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}
