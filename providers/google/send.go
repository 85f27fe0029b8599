package google

import (
	"bytes"
	"context"
	"strings"
	"time"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/mimemsg"
)

var (
	callSend   = call{"send the message", "https://www.googleapis.com/auth/gmail.send"}
	callLookup = call{"look up whether the message was sent", ScopeModify}
)

// maxRecipients is Google Workspace's limit on the addresses in to, cc and bcc of one message
// sent through the Gmail API (or SMTP); the web client allows 2,000.
const maxRecipients = 100

// resumableThreshold is where uploads switch from one multipart request to a resumable upload
// in chunks of this size: Gmail's guide advises resumable uploads above 5 MB, and chunks keep a
// dropped connection from restarting a 35 MB message from zero. A multiple of 256 KiB, as the
// upload protocol requires.
const resumableThreshold = 5 << 20

// lookupDelay is how long a lost send waits before its second search: Gmail indexes a sent
// message within moments, not instantly.
var lookupDelay = time.Second

// Send builds the message with mimemsg (Message-ID fixed first) and sends it through the
// upload endpoint. When an attempt's answer is lost, the Message-ID is searched for before any
// retry, so that a script never sends twice.
func (m *mailbox) Send(ctx context.Context, d providers.Draft) (providers.SendResult, error) {
	from := providers.Address{Address: m.cfg.user}
	if d.From != nil {
		from = *d.From
	}
	if d.MessageID == "" {
		d.MessageID = providers.NewMessageID(from.Address)
	}
	if n := len(d.To) + len(d.Cc) + len(d.Bcc); n > maxRecipients {
		return providers.SendResult{}, providers.Errorf(providers.InvalidArgument, Name, "send: the message has %d recipients in to, cc and bcc; the Gmail API accepts at most %d per message: send it in several messages", n, maxRecipients)
	}
	raw, err := mimemsg.Build(d, from, time.Now())
	if err != nil {
		return providers.SendResult{}, &providers.Error{Code: providers.InvalidArgument, Provider: Name, Message: err.Error(), Err: err}
	}
	if len(raw) > providers.MaxMessageBytes {
		return providers.SendResult{}, providers.Errorf(providers.InvalidArgument, Name, "send: the message is %s encoded; Gmail accepts at most %s per message (attachments grow by a third when encoded)", providers.FormatSize(int64(len(raw))), providers.FormatSize(providers.MaxMessageBytes))
	}
	msgID := strings.Trim(d.MessageID, "<>") // rfc822msgid: takes the id without brackets
	err = m.retry(ctx, callSend, func(ctx context.Context) error {
		_, err := m.svc.Users.Messages.Send(me, &gmail.Message{}).
			Media(bytes.NewReader(raw), googleapi.ContentType("message/rfc822"), googleapi.ChunkSize(resumableThreshold)).
			Context(ctx).Do()
		return err
	}, func(ctx context.Context) (bool, error) { return m.sent(ctx, msgID) })
	if err != nil {
		return providers.SendResult{}, err
	}
	return providers.SendResult{MessageID: d.MessageID}, nil
}

// sent reports whether a message with this Message-ID is in the mailbox (anywhere, trash
// included), looking twice because the search index lags a little behind the send.
func (m *mailbox) sent(ctx context.Context, msgID string) (bool, error) {
	for i := 0; i < 2; i++ {
		if i > 0 {
			if err := sleep(ctx, lookupDelay); err != nil {
				return false, err
			}
		}
		var resp *gmail.ListMessagesResponse
		err := m.retry(ctx, callLookup, func(ctx context.Context) error {
			var err error
			resp, err = m.svc.Users.Messages.List(me).Q("rfc822msgid:" + msgID).IncludeSpamTrash(true).MaxResults(1).Context(ctx).Do()
			return err
		}, nil)
		if err != nil {
			return false, err
		}
		if len(resp.Messages) > 0 {
			return true, nil
		}
	}
	return false, nil
}
