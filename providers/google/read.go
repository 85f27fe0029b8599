package google

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/gmail/v1"

	"github.com/mailscript/mailscript/internal/mimedecode"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/internal/coalesce"
	"github.com/mailscript/mailscript/providers/mimemsg"
)

var (
	callRead       = call{"read the message", ScopeModify}
	callAttachment = call{"download the attachment", ScopeModify}
)

// Read fetches a message. The default uses format=full: Gmail sends the MIME tree already
// transfer-decoded, with attachments as ids, so their bytes cross the network only when a
// script asks for them; the tree is then classified and charset-decoded with mimemsg. With
// o.Raw, format=raw is fetched once and parsed by mimemsg.Parse, since the whole source comes
// anyway. Concurrent reads are coalesced into batches (see coalescer).
func (m *mailbox) Read(ctx context.Context, id string, o providers.ReadOptions) (*providers.Message, error) {
	if !validID(id) {
		// Not sent, since it would change the request path; no message has such an id.
		return nil, &providers.Error{Code: providers.NotFound, Provider: Name, Message: fmt.Sprintf("no message with id %q in %s: it is not a Gmail message id; pass the id from list or waitFor", id, m.cfg.user)}
	}
	if o.Raw {
		g, err := getJSON[gmail.Message](ctx, m, callRead, []string{"messages/" + url.PathEscape(id) + "?format=raw"})
		if err != nil {
			return nil, err
		}
		return m.fromRaw(ctx, g[0])
	}
	g, err := m.full(ctx, id)
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Code == providers.NotFound {
		cp := *pe // the error is shared by every reader of this id
		cp.Message = fmt.Sprintf("no message with id %q in %s: it was deleted, or the id comes from another mailbox", id, m.cfg.user)
		return nil, &cp
	}
	if err != nil {
		return nil, err
	}
	return m.fromFull(ctx, g), nil
}

// validID rejects ids that could change the request path; Gmail ids are hex.
func validID(id string) bool {
	return id != "" && !strings.ContainsAny(id, "/?#% ")
}

func (m *mailbox) summaryFields(ctx context.Context, s *providers.Summary, g *gmail.Message) {
	s.ID = g.Id
	s.ReceivedAt = time.UnixMilli(g.InternalDate)
	s.IsRead = !slices.Contains(g.LabelIds, "UNREAD")
	s.Folder = m.folderOf(ctx, g.LabelIds)
	s.Preview = html.UnescapeString(g.Snippet) // Gmail sends snippets HTML-escaped
}

func (m *mailbox) fromRaw(ctx context.Context, g *gmail.Message) (*providers.Message, error) {
	raw, err := decodeData(g.Raw)
	if err != nil {
		return nil, m.apiError(callRead, fmt.Errorf("decoding the raw message: %w", err))
	}
	msg, err := mimemsg.Parse(raw)
	if err != nil {
		return nil, m.apiError(callRead, err)
	}
	m.summaryFields(ctx, &msg.Summary, g)
	msg.Raw = raw
	return msg, nil
}

func (m *mailbox) fromFull(ctx context.Context, g *gmail.Message) *providers.Message {
	msg := &providers.Message{}
	if g.Payload != nil {
		mimemsg.ApplyHeaders(msg, headerOf(g.Payload.Headers))
		m.walk(ctx, msg, g.Id, g.Payload, false, 0)
	}
	m.summaryFields(ctx, &msg.Summary, g)
	mimemsg.Finish(msg)
	return msg
}

func headerOf(hs []*gmail.MessagePartHeader) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	for _, x := range hs {
		h.Add(x.Name, x.Value)
	}
	return h
}

// walk collects text, html and attachments from Gmail's MIME tree, classifying leaves with
// the same rules as mimemsg.Parse so that both read paths agree.
func (m *mailbox) walk(ctx context.Context, msg *providers.Message, msgID string, p *gmail.MessagePart, inRelated bool, depth int) {
	if strings.HasPrefix(strings.ToLower(p.MimeType), "multipart/") && depth < mimedecode.MaxDepth {
		related := strings.EqualFold(p.MimeType, "multipart/related")
		for i, child := range p.Parts {
			m.walk(ctx, msg, msgID, child, related && i > 0, depth+1)
		}
		return
	}
	h := headerOf(p.Headers)
	if h.Get("Content-Type") == "" && p.MimeType != "" {
		h.Set("Content-Type", p.MimeType)
	}
	l := mimemsg.Describe(h, inRelated)
	body := p.Body
	if body == nil {
		body = &gmail.MessagePartBody{}
	}
	data, _ := decodeData(body.Data)
	switch l.Kind {
	case mimemsg.PlainBody, mimemsg.HTMLBody:
		if body.Data == "" && body.AttachmentId != "" {
			// Gmail moves very large text parts out of the tree like attachments.
			data, _ = m.attachment(ctx, msgID, body.AttachmentId)
		}
		text := l.Text(data)
		if l.Kind == mimemsg.PlainBody {
			msg.Text = join(msg.Text, text)
		} else {
			msg.HTML = join(msg.HTML, text)
		}
		return
	}
	name := l.Name
	if p.Filename != "" {
		name = p.Filename
	}
	a := providers.Attachment{ID: body.AttachmentId, Name: name, ContentType: l.MediaType, Size: body.Size,
		Inline: l.Kind == mimemsg.Inline, ContentID: l.ContentID}
	if body.AttachmentId == "" {
		a.ID = p.PartId
		a.Content = func(context.Context) ([]byte, error) { return data, nil }
	} else {
		a.Content = m.lazyAttachment(msgID, body.AttachmentId)
	}
	msg.Attachments = append(msg.Attachments, a)
}

func join(have, part string) string {
	if have == "" {
		return part
	}
	return have + "\n" + part
}

// lazyAttachment fetches the bytes on first call and keeps them; a failed fetch is retried by
// the next call.
func (m *mailbox) lazyAttachment(msgID, attID string) func(context.Context) ([]byte, error) {
	var mu sync.Mutex
	var data []byte
	return func(ctx context.Context) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		if data != nil {
			return data, nil
		}
		b, err := m.attachment(ctx, msgID, attID)
		if err == nil {
			data = b
		}
		return b, err
	}
}

func (m *mailbox) attachment(ctx context.Context, msgID, attID string) ([]byte, error) {
	var body *gmail.MessagePartBody
	err := m.retry(ctx, callAttachment, func(ctx context.Context) error {
		var err error
		body, err = m.svc.Users.Messages.Attachments.Get(me, msgID, attID).Context(ctx).Do()
		return err
	}, nil)
	if err != nil {
		return nil, err
	}
	b, err := decodeData(body.Data)
	if err != nil {
		return nil, m.apiError(callAttachment, fmt.Errorf("decoding the attachment: %w", err))
	}
	return b, nil
}

// decodeData decodes Gmail's base64url data, which comes padded or not depending on the field.
func decodeData(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// Reads in flight: the calls of concurrent reads are gathered into shared batches (up to the
// budget of calls in progress each, maxLanes prepared at once, so the next leaves as soon as
// the budget frees), and reads of one id share one fetch.
const (
	maxLanes     = 4
	gatherWindow = 2 * time.Millisecond
)

// fetched is one format=full answer, undecoded: each read decodes its own, side by side.
type fetched struct {
	body []byte
	err  error
}

func newReads(m *mailbox) *coalesce.Coalescer[string, fetched] {
	size := func(waiting int) (int, int) {
		most := m.inFlight.size(maxBatch)
		return min(waiting, most), most
	}
	return coalesce.New(maxLanes, gatherWindow, size, m.fetchFull)
}

// fetchFull GETs the messages of ids with format=full.
func (m *mailbox) fetchFull(ctx context.Context, ids []string) ([]fetched, error) {
	paths := make([]string, len(ids))
	for i, id := range ids {
		paths[i] = "messages/" + url.PathEscape(id) + "?format=full"
	}
	bodies, errs := m.getMany(ctx, callRead, paths, nil)
	out := make([]fetched, len(ids))
	for i := range ids {
		out[i] = fetched{bodies[i], errs[i]}
	}
	return out, nil
}

// full reads one message with format=full, in a batch shared with the reads in flight.
func (m *mailbox) full(ctx context.Context, id string) (*gmail.Message, error) {
	return m.readsByID.Do(ctx, id, func(ctx context.Context) (*gmail.Message, error) {
		res, err := m.reads.Do(ctx, id)
		if err == nil {
			err = res[0].err
		}
		if err != nil {
			return nil, err
		}
		g := new(gmail.Message)
		if err := json.Unmarshal(res[0].body, g); err != nil {
			return nil, m.apiError(callRead, fmt.Errorf("decoding the answer: %w", err))
		}
		return g, nil
	})
}
