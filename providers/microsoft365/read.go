package microsoft365

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/mailscript/mailscript/internal/htmltext"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/mimemsg"
)

// readSelect is what read takes from Graph's JSON: one sub-request per message. Exchange keeps
// a single body per message (HTML when the sender sent HTML, its "best body"); the other form
// is a conversion, so text is derived here from the HTML rather than asked for in a second
// sub-request with Prefer: outlook.body-content-type="text". The headers are Graph's
// internetMessageHeaders.
const readSelect = "id,subject,from,toRecipients,ccRecipients,bccRecipients,replyTo,receivedDateTime,isRead,hasAttachments,bodyPreview,parentFolderId,internetMessageId,body,internetMessageHeaders"

// readExpand lists attachments with the base type's properties only: Graph refuses a nested
// $select of fileAttachment's contentId ("Could not find a property named 'contentId' on type
// 'microsoft.graph.attachment'"), and without $select it would send every attachment's bytes.
const readExpand = "attachments($select=id,name,contentType,size,isInline)"

// Read fetches a message in one $batch sub-request, shared with the other reads in flight.
// The MIME source costs a second one, only for format raw, for a message without transport
// headers (a draft, a sent copy) or for one with inline attachments (their Content-IDs are in no
// JSON property Graph lets a $select name).
func (m *mailbox) Read(ctx context.Context, id string, o providers.ReadOptions) (*providers.Message, error) {
	what := op{"read message " + id, "Mail.Read"}
	path := m.userRel + "/messages/" + url.PathEscape(id)
	reqs := []subRequest{{Method: "GET", URL: path + "?$select=" + readSelect + "&$expand=" + readExpand}}
	if o.Raw {
		reqs = append(reqs, subRequest{Method: "GET", URL: path + "/$value"})
	}
	res, err := m.reads.Do(ctx, reqs...)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if r.Status != http.StatusOK {
			return nil, m.bodyError(what, r.Status, r.bytes())
		}
	}
	var meta graphMessage
	if err := json.Unmarshal(res[0].bytes(), &meta); err != nil {
		return nil, providers.Errorf(providers.Unavailable, Name, "%s: unreadable answer from Microsoft Graph: %v", what.what, err)
	}
	folder, err := m.folderName(ctx, meta.ParentFolderID)
	if err != nil {
		return nil, inFolderLookup(what, err)
	}
	msg := &providers.Message{
		Summary:   meta.summary(folder),
		Cc:        addresses(meta.Cc),
		Bcc:       addresses(meta.Bcc),
		ReplyTo:   addresses(meta.ReplyTo),
		MessageID: meta.InternetMessageID,
		Headers:   make(map[string][]string, len(meta.Headers)),
	}
	if meta.Body != nil {
		if strings.EqualFold(meta.Body.ContentType, "html") {
			msg.HTML, msg.Text = meta.Body.Content, htmltext.Text(meta.Body.Content)
		} else {
			msg.Text = meta.Body.Content
		}
		msg.Text, msg.HTML = providers.Newlines(msg.Text), providers.Newlines(msg.HTML)
	}
	for _, h := range meta.Headers {
		k := strings.ToLower(h.Name)
		msg.Headers[k] = append(msg.Headers[k], mimemsg.DecodeHeader(h.Value))
	}
	var raw []byte
	if o.Raw {
		raw = res[1].bytes()
		msg.Raw = raw
	}
	// Graph fills internetMessageHeaders for mail that came through transport only, so a draft
	// or a sent copy takes its headers from the MIME source, as do inline attachments.
	noHeaders := len(msg.Headers) == 0
	inline := meta.Attachments != nil && hasInline(*meta.Attachments)
	if raw == nil && (noHeaders || inline) {
		if raw, err = m.mime(ctx, what, path); err != nil {
			return nil, err
		}
	}
	var parsed *providers.Message
	if raw != nil {
		if parsed, err = mimemsg.Parse(raw); err != nil {
			return nil, providers.Errorf(providers.Unavailable, Name, "%s: %v", what.what, err)
		}
		if noHeaders {
			msg.Headers = parsed.Headers
		}
	}
	if meta.Attachments != nil {
		var parts []providers.Attachment
		if parsed != nil {
			parts = parsed.Attachments
		}
		msg.Attachments = m.attachments(id, *meta.Attachments, parts)
	}
	msg.Links = providers.Links(msg.Text, msg.HTML)
	return msg, nil
}

func hasInline(as []graphAttachment) bool {
	for _, a := range as {
		if a.IsInline {
			return true
		}
	}
	return false
}

// mime fetches a message's MIME source through the read coalescer.
func (m *mailbox) mime(ctx context.Context, what op, path string) ([]byte, error) {
	res, err := m.reads.Do(ctx, subRequest{Method: "GET", URL: path + "/$value"})
	if err != nil {
		return nil, err
	}
	if res[0].Status != http.StatusOK {
		return nil, m.bodyError(what, res[0].Status, res[0].bytes())
	}
	return res[0].bytes(), nil
}

// attachments describes Graph's attachments with Graph's ids; the content comes from the MIME
// part of the same name when there is one (no extra request), else from Graph on first use.
func (m *mailbox) attachments(msgID string, graph []graphAttachment, parts []providers.Attachment) []providers.Attachment {
	used := make([]bool, len(parts))
	out := make([]providers.Attachment, 0, len(graph))
	for _, g := range graph {
		a := providers.Attachment{ID: g.ID, Name: g.Name, ContentType: g.ContentType, Size: g.Size, Inline: g.IsInline}
		for i, p := range parts {
			if !used[i] && p.Name == g.Name {
				used[i] = true
				a.ContentID, a.Content = p.ContentID, p.Content
				if a.ContentType == "" {
					a.ContentType = p.ContentType
				}
				break
			}
		}
		if a.Content == nil {
			a.Content = m.attachmentContent(msgID, g.ID)
		}
		out = append(out, a)
	}
	return out
}

func (m *mailbox) attachmentContent(msgID, attID string) func(context.Context) ([]byte, error) {
	return func(ctx context.Context) ([]byte, error) {
		what := op{"read attachment " + attID, "Mail.Read"}
		resp, err := m.do(ctx, what, http.MethodGet, m.userRel+"/messages/"+url.PathEscape(msgID)+"/attachments/"+url.PathEscape(attID)+"/$value", nil, nil)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, providers.Errorf(providers.Unavailable, Name, "%s: %v", what.what, strings.TrimSpace(err.Error()))
		}
		return b, nil
	}
}
