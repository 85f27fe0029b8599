package gmail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// maxMessageBytes is the send endpoint's upload limit from the Gmail discovery document
// (maxSize 36700160, "35MB").
const maxMessageBytes = 36700160

// maxRecipients is Google Workspace's limit on the addresses of one message sent through the
// Gmail API. Google documents the limit, not the API's answer to it; the emulator refuses
// with 400 invalidArgument, as the send method does other bad messages.
const maxRecipients = 100

// recipients counts the addresses in the To, Cc and Bcc headers of raw.
func recipients(raw []byte) int {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return 0 // the store refuses a message it cannot read
	}
	n := 0
	for _, k := range []string{"To", "Cc", "Bcc"} {
		list, _ := msg.Header.AddressList(k)
		n += len(list)
	}
	return n
}

// decodeRaw reads the raw field. Gmail documents base64url, and accepts it with or without
// padding; clients that use the standard alphabet get through too.
func decodeRaw(s string) ([]byte, error) {
	s = strings.TrimRight(strings.NewReplacer("+", "-", "/", "_", "\n", "", "\r", "").Replace(s), "=")
	return base64.RawURLEncoding.DecodeString(s)
}

func (h *handler) sendJSON(c *request) *apiError {
	var body struct {
		Raw string `json:"raw"`
	}
	if e := decodeBody(c.r, &body); e != nil {
		return e
	}
	if body.Raw == "" {
		return errInvalid("'raw' RFC822 payload message string or uploading message via /upload/* URL required")
	}
	raw, err := decodeRaw(body.Raw)
	if err != nil {
		return errInvalid("Invalid value for ByteString: " + body.Raw[:min(len(body.Raw), 32)])
	}
	return h.send(c, raw)
}

// send delivers raw from the caller's mailbox and answers like Gmail: the Sent copy's id,
// threadId and labelIds.
func (h *handler) send(c *request, raw []byte) *apiError {
	if len(raw) > maxMessageBytes {
		return tooLarge()
	}
	if n := recipients(raw); n > maxRecipients {
		return errInvalid(fmt.Sprintf("Too many recipients: %d in To, Cc and Bcc; at most %d are allowed per message", n, maxRecipients))
	}
	res, err := h.store.Deliver(raw, c.mailbox, true)
	if errors.Is(err, store.ErrInvalid) && strings.Contains(err.Error(), "no recipients") {
		return errInvalid("Recipient address required")
	}
	if err != nil {
		return storeError(err)
	}
	writeMinimal(c.w, res.Sent)
	return nil
}

// sendUpload serves /upload/gmail/v1/users/{userId}/messages/send for the three upload types
// gensupport uses: media (the message as the body), multipart (JSON metadata + message, in
// multipart/related) and resumable (a session, then chunks to its Location).
func (h *handler) sendUpload(c *request) *apiError {
	qp := c.r.URL.Query()
	if id := qp.Get("upload_id"); id != "" {
		return h.uploadChunk(c, id)
	}
	switch qp.Get("uploadType") {
	case "media":
		if e := checkMediaType(c.r.Header.Get("Content-Type")); e != nil {
			return e
		}
		raw, e := readLimited(c.r.Body)
		if e != nil {
			return e
		}
		return h.send(c, raw)
	case "multipart":
		raw, e := readMultipartMedia(c.r)
		if e != nil {
			return e
		}
		return h.send(c, raw)
	case "resumable":
		return h.startUpload(c)
	case "":
		return errInvalid("Upload requests must include an uploadType URL parameter and a URL path beginning with /upload/")
	default:
		return errInvalid("Invalid upload type: " + qp.Get("uploadType"))
	}
}

// checkMediaType enforces the send method's accepted media, message/* (discovery "accept").
func checkMediaType(ct string) *apiError {
	mt, _, _ := mime.ParseMediaType(ct)
	if !strings.HasPrefix(mt, "message/") {
		msg := fmt.Sprintf("Media type '%s' is not supported. Valid media types: [message/*]", ct)
		return newError(http.StatusBadRequest, "badContent", msg)
	}
	return nil
}

func readLimited(r io.Reader) ([]byte, *apiError) {
	b, err := io.ReadAll(io.LimitReader(r, maxMessageBytes+1))
	if err != nil {
		return nil, errInvalid("Failed to read the request body: " + err.Error())
	}
	if len(b) > maxMessageBytes {
		return nil, tooLarge()
	}
	return b, nil
}

// readMultipartMedia takes the message out of a multipart/related upload: the first part is
// the JSON resource (ignored: send takes nothing from it but threadId), the second the media.
func readMultipartMedia(r *http.Request) ([]byte, *apiError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return nil, errInvalid("Multipart upload requires a multipart/related Content-Type with a boundary")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	if _, err := mr.NextRawPart(); err != nil {
		return nil, errInvalid("Multipart upload is missing its metadata part")
	}
	media, err := mr.NextRawPart()
	if err != nil {
		return nil, errInvalid("Multipart upload is missing its media part")
	}
	if e := checkMediaType(media.Header.Get("Content-Type")); e != nil {
		return nil, e
	}
	return readLimited(media)
}

func tooLarge() *apiError {
	return newError(http.StatusRequestEntityTooLarge, "uploadTooLarge", fmt.Sprintf("Media larger than: %d", maxMessageBytes))
}
