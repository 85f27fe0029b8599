package microsoft365

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/mailscript/mailscript/providers"
)

// chunkSize is the upload session chunk: a multiple of 320 KiB, as Graph requires, under 4 MB.
const chunkSize = 10 * 320 << 10

// cleanupTimeout bounds the deletion of a draft left by a failed send: it runs after the
// send's own context may have ended, so it gets a context of its own.
const cleanupTimeout = 15 * time.Second

// sendLarge creates a draft holding the attachments that fit one request, uploads the others
// through upload sessions, and sends the draft. A send that fails before the draft is sent
// deletes the draft, even when the failure is the run being interrupted: on a tenant a stray
// draft is visible to the mailbox's people. Once the send request has gone out, the draft is
// left alone, since Exchange turns it into the sent message; when that request's outcome is
// unknown, the error says the message may have been sent.
func (m *mailbox) sendLarge(ctx context.Context, d providers.Draft) error {
	var small, large []providers.DraftAttachment
	sum := 0
	for _, a := range d.Attachments {
		if sum+len(a.Content) <= inlineLimit {
			sum += len(a.Content)
			small = append(small, a)
		} else {
			large = append(large, a)
		}
	}
	what := op{"send (create the draft)", "Mail.ReadWrite"}
	var id string
	draft, err := m.messagesBuilder().Post(ctx, draftMessage(d, small), nil)
	switch {
	case err == nil:
		id = deref(draft.GetId())
	case answered(err):
		return m.mapError(what, err)
	default:
		// The draft may exist although the answer was lost or the run was interrupted: look
		// for it, with a context that outlives ctx when ctx has ended.
		lookup, cancel := cleanupContext(ctx)
		id, _ = m.findByMessageID(lookup, "drafts", d.MessageID)
		cancel()
		if id == "" || ctx.Err() != nil {
			return m.discard(ctx, id, m.mapError(what, err))
		}
	}
	for _, a := range large {
		if err := m.upload(ctx, id, a); err != nil {
			return m.discard(ctx, id, err)
		}
	}
	if err := context.Cause(ctx); err != nil {
		return m.discard(ctx, id, err) // interrupted before the send request went out
	}
	err = m.sendOnce(ctx, d.MessageID, func() error { return m.messages.ByMessageId(id).Send().Post(ctx, nil) })
	switch {
	case err == nil:
		return nil
	case answered(err) && !errors.Is(err, errOutcomeUnknown):
		return m.discard(ctx, id, err) // Graph refused the send: the draft was not sent
	}
	code := providers.CodeOf(err)
	if code == "" {
		code = providers.Unavailable
	}
	return &providers.Error{Code: code, Provider: Name, Status: statusOf(err),
		Message: fmt.Sprintf("send: the message may have been sent: the send request went out but its outcome is unknown (%v); look for Message-ID %s in Sent Items before sending it again", err, d.MessageID),
		Err:     err}
}

// answered tells whether Graph answered a request with an error status, so that the request
// was refused rather than lost or cut short.
func answered(err error) bool { return statusOf(err) != 0 }

func statusOf(err error) int {
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Status != 0 {
		return pe.Status
	}
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		return oe.GetStatusCode()
	}
	var ae *abstractions.ApiError
	if errors.As(err, &ae) {
		return ae.GetStatusCode()
	}
	return 0
}

// cleanupContext is for work that must happen although ctx may have ended (the run was
// interrupted): it keeps ctx's values but not its cancellation, for cleanupTimeout.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

// discard deletes the draft of a send that failed before it was sent, and returns cause,
// saying so when the draft could not be deleted.
func (m *mailbox) discard(ctx context.Context, draftID string, cause error) error {
	if draftID == "" {
		return cause
	}
	ctx, cancel := cleanupContext(ctx)
	defer cancel()
	if err := m.messages.ByMessageId(draftID).Delete(ctx, nil); err != nil {
		return fmt.Errorf("%w; its draft (id %s) could not be deleted and is left in Drafts: %v", cause, draftID, m.mapError(op{"delete the draft", "Mail.ReadWrite"}, err))
	}
	return cause
}

// upload adds one attachment to a draft through an upload session.
func (m *mailbox) upload(ctx context.Context, draftID string, a providers.DraftAttachment) error {
	what := op{"send (upload attachment " + a.Name + ")", "Mail.ReadWrite"}
	item := models.NewAttachmentItem()
	kind := models.FILE_ATTACHMENTTYPE
	size := int64(len(a.Content))
	item.SetAttachmentType(&kind)
	item.SetName(&a.Name)
	item.SetSize(&size)
	item.SetIsInline(&a.Inline)
	if a.ContentType != "" {
		item.SetContentType(&a.ContentType)
	}
	if a.ContentID != "" {
		item.SetContentId(&a.ContentID)
	}
	body := users.NewItemMessagesItemAttachmentsCreateUploadSessionPostRequestBody()
	body.SetAttachmentItem(item)
	// A repeated session creation only leaves an unused session behind.
	sess, err := m.messages.ByMessageId(draftID).Attachments().CreateUploadSession().Post(repeatable(ctx), body, nil)
	if err != nil {
		return m.mapError(what, err)
	}
	target := deref(sess.GetUploadUrl())
	if u, err := url.Parse(target); err != nil || !(u.Scheme == "https" || u.Scheme == "http" && providers.IsLoopback(u.Hostname())) {
		return providers.Errorf(providers.Unavailable, Name, "%s: Microsoft Graph returned an unusable upload URL", what.what)
	}
	n := len(a.Content)
	for offset, resyncs := 0, 0; offset < n; {
		end := min(offset+chunkSize, n)
		status, next, err := m.putChunk(ctx, target, a.Content[offset:end], offset, n)
		if err != nil {
			return m.mapError(what, err)
		}
		switch {
		case status == http.StatusCreated:
			return nil
		case status == http.StatusOK && next > offset:
			offset = next
		case resyncs < 3:
			// A chunk whose answer was lost and was sent again is refused: ask where to resume.
			resyncs++
			if offset, err = m.resumeAt(ctx, target); err != nil {
				return m.mapError(what, err)
			}
			if offset < 0 {
				return nil
			}
		default:
			return providers.Errorf(providers.Unavailable, Name, "%s: the upload session refused chunk at byte %d (HTTP %d)", what.what, offset, status)
		}
	}
	return nil
}

// putChunk sends one chunk; the upload URL carries its own authorization, so no token goes.
func (m *mailbox) putChunk(ctx context.Context, target string, chunk []byte, offset, total int) (status, next int, err error) {
	req, err := http.NewRequestWithContext(anonymous(ctx), http.MethodPut, target, bytes.NewReader(chunk))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", offset, offset+len(chunk)-1, total))
	resp, err := m.http.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	var s struct {
		NextExpectedRanges []string `json:"nextExpectedRanges"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&s)
	return resp.StatusCode, rangeStart(s.NextExpectedRanges), nil
}

// resumeAt asks the session for its next expected byte; -1 means the upload is complete.
func (m *mailbox) resumeAt(ctx context.Context, target string) (int, error) {
	req, err := http.NewRequestWithContext(anonymous(ctx), http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return -1, nil // the session ends when the last byte arrives
	}
	var s struct {
		NextExpectedRanges []string `json:"nextExpectedRanges"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || len(s.NextExpectedRanges) == 0 {
		return -1, nil
	}
	return rangeStart(s.NextExpectedRanges), nil
}

// rangeStart reads the first byte of Graph's first "start-end" or "start-" range, or -1.
func rangeStart(ranges []string) int {
	if len(ranges) == 0 {
		return -1
	}
	start, _, _ := strings.Cut(ranges[0], "-")
	n, err := strconv.Atoi(start)
	if err != nil {
		return -1
	}
	return n
}

// findByMessageID returns the id of the message with this Message-ID in folder, or "".
func (m *mailbox) findByMessageID(ctx context.Context, folder, messageID string) (string, error) {
	filter := "internetMessageId eq '" + strings.ReplaceAll(messageID, "'", "''") + "'"
	var page struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	target := m.userRel + "/mailFolders/" + folder + "/messages?$select=id&$filter=" + url.QueryEscape(filter)
	if err := m.getJSON(ctx, op{"look up message " + messageID + " in " + folder, "Mail.Read"}, target, nil, &page); err != nil {
		return "", err
	}
	if len(page.Value) == 0 {
		return "", nil
	}
	return page.Value[0].ID, nil
}
