package microsoft365

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/mimemsg"
)

// readSelect is the metadata read takes from Graph's JSON; everything else (text and html
// parts, headers, attachment bytes) comes from the MIME source, the only place Graph exposes
// the real text/plain part.
const readSelect = "id,subject,from,toRecipients,ccRecipients,bccRecipients,replyTo,receivedDateTime,isRead,hasAttachments,bodyPreview,parentFolderId,internetMessageId"

type graphRecipient struct {
	EmailAddress providers.Address `json:"emailAddress"`
}

type graphAttachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	IsInline    bool   `json:"isInline"`
}

type graphMessage struct {
	ID                string             `json:"id"`
	Subject           string             `json:"subject"`
	From              *graphRecipient    `json:"from"`
	To                []graphRecipient   `json:"toRecipients"`
	Cc                []graphRecipient   `json:"ccRecipients"`
	Bcc               []graphRecipient   `json:"bccRecipients"`
	ReplyTo           []graphRecipient   `json:"replyTo"`
	ReceivedDateTime  time.Time          `json:"receivedDateTime"`
	IsRead            bool               `json:"isRead"`
	HasAttachments    bool               `json:"hasAttachments"`
	BodyPreview       string             `json:"bodyPreview"`
	ParentFolderID    string             `json:"parentFolderId"`
	InternetMessageID string             `json:"internetMessageId"`
	Attachments       *[]graphAttachment `json:"attachments"` // nil when Graph did not expand them
}

func addresses(rs []graphRecipient) []providers.Address {
	out := make([]providers.Address, len(rs))
	for i, r := range rs {
		out[i] = r.EmailAddress
	}
	return out
}

// Read fetches the metadata and the MIME source of one message in one $batch, shared with
// the other reads in flight.
func (m *mailbox) Read(ctx context.Context, id string, o providers.ReadOptions) (*providers.Message, error) {
	what := op{"read message " + id, "Mail.Read"}
	path := m.userRel + "/messages/" + url.PathEscape(id)
	res, err := m.reads.do(ctx, []subRequest{
		{Method: "GET", URL: path + "?$select=" + readSelect + "&$expand=attachments($select=id,name,contentType,size,isInline)"},
		{Method: "GET", URL: path + "/$value"},
	})
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
	raw := res[1].bytes()
	msg, err := mimemsg.Parse(raw)
	if err != nil {
		return nil, providers.Errorf(providers.Unavailable, Name, "%s: %v", what.what, err)
	}
	msg.Summary = providers.Summary{
		ID:             meta.ID,
		Subject:        meta.Subject,
		To:             addresses(meta.To),
		ReceivedAt:     meta.ReceivedDateTime,
		IsRead:         meta.IsRead,
		HasAttachments: meta.HasAttachments,
		Preview:        meta.BodyPreview,
		Folder:         m.folderName(ctx, meta.ParentFolderID),
	}
	if meta.From != nil {
		msg.From = meta.From.EmailAddress
	}
	msg.Cc, msg.Bcc, msg.ReplyTo = addresses(meta.Cc), addresses(meta.Bcc), addresses(meta.ReplyTo)
	if meta.InternetMessageID != "" {
		msg.MessageID = meta.InternetMessageID
	}
	if meta.Attachments != nil {
		msg.Attachments = m.attachments(id, *meta.Attachments, msg.Attachments)
	}
	if o.Raw {
		msg.Raw = raw
	}
	return msg, nil
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
