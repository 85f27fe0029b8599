package microsoft365

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/mailscript/mailscript/providers"
)

// graphMessage is the one model of a Graph message: list pages, delta pages and reads all
// decode into it, and summary is the one mapping to a Summary, so that the three agree.
type graphMessage struct {
	ID                string           `json:"id"`
	Subject           string           `json:"subject"`
	From              *graphRecipient  `json:"from"`
	To                []graphRecipient `json:"toRecipients"`
	Cc                []graphRecipient `json:"ccRecipients"`
	Bcc               []graphRecipient `json:"bccRecipients"`
	ReplyTo           []graphRecipient `json:"replyTo"`
	ReceivedDateTime  time.Time        `json:"receivedDateTime"`
	IsRead            bool             `json:"isRead"`
	HasAttachments    bool             `json:"hasAttachments"`
	BodyPreview       string           `json:"bodyPreview"`
	ParentFolderID    string           `json:"parentFolderId"`
	InternetMessageID string           `json:"internetMessageId"`
	Body              *struct {
		ContentType string `json:"contentType"`
		Content     string `json:"content"`
	} `json:"body"`
	Headers     []struct{ Name, Value string } `json:"internetMessageHeaders"`
	Attachments *[]graphAttachment             `json:"attachments"` // nil when Graph did not expand them
}

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

// summary is g as a Summary in the folder the caller reports it in.
func (g *graphMessage) summary(folder string) providers.Summary {
	s := providers.Summary{
		ID:             g.ID,
		Subject:        g.Subject,
		To:             addresses(g.To),
		ReceivedAt:     g.ReceivedDateTime,
		IsRead:         g.IsRead,
		HasAttachments: g.HasAttachments,
		Preview:        g.BodyPreview,
		Folder:         folder,
	}
	s.Recipients = providers.RecipientsOf(s.To, addresses(g.Cc))
	if g.From != nil {
		s.From = plainAddress(g.From.EmailAddress)
	}
	return s
}

func addresses(rs []graphRecipient) []providers.Address {
	out := make([]providers.Address, len(rs))
	for i, r := range rs {
		out[i] = plainAddress(r.EmailAddress)
	}
	return out
}

// plainAddress drops the name Exchange fills in with the address itself when the header gave
// none, so that an address reads as Gmail gives it: {name: "", address}.
func plainAddress(a providers.Address) providers.Address {
	if strings.EqualFold(strings.TrimSpace(a.Name), a.Address) {
		a.Name = ""
	}
	return a
}

// messagePage is one page of a messages collection.
type messagePage struct {
	Value    []graphMessage `json:"value"`
	NextLink string         `json:"@odata.nextLink"`
}

// graphErrors is what the SDK's generated calls map Graph's error answers to.
var graphErrors = abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// sendJSON sends a request the SDK's builders prepared through its request adapter, and
// decodes the answer with encoding/json into out. Measured on a page of 500 summaries: 21 ms
// through kiota's parse nodes (backing store off), 3.4 ms into graphMessage with the summaries
// made, where Graph's own time for the page is 120 ms.
func (m *mailbox) sendJSON(ctx context.Context, o op, info *abstractions.RequestInformation, out any) error {
	raw, err := m.adapter.SendPrimitive(ctx, info, "[]byte", graphErrors)
	if err != nil {
		return m.mapError(o, err)
	}
	b, _ := raw.([]byte)
	if err := json.Unmarshal(b, out); err != nil {
		return providers.Errorf(providers.Unavailable, Name, "%s: unreadable answer from Microsoft Graph: %v", o.what, err)
	}
	return nil
}
