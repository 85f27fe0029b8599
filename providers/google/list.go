package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"google.golang.org/api/gmail/v1"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/mimemsg"
)

var callList = call{"list messages", ScopeModify}

// summaryHeaders are the only headers a summary needs (Cc and Delivered-To for matching {to:
// address}); format=metadata sends just these.
var summaryHeaders = []string{"From", "To", "Cc", "Delivered-To", "Subject"}

// pageSize is messages.list's maximum; ids are cheap, the summaries are what costs.
const pageSize = 500

// chunkSize is the fewest ids whose summaries are fetched together while matches are still
// wanted: enough to keep the budget of calls in progress busy, few enough not to fetch much
// more than a small Limit needs. A larger Limit fetches what it still lacks in one go, so that
// the batches follow one another without a pause between chunks.
const chunkSize = 4 * maxInFlight

// archiveQuery is Gmail's "archive": mail that left the inbox, which has no label of its own.
const archiveQuery = "-in:inbox -in:sent -in:drafts"

// List narrows server-side with q and the folder's label, then fetches summaries in batches
// and applies the exact criteria, page by page until Limit summaries match. Newest first.
func (m *mailbox) List(ctx context.Context, c providers.Criteria) ([]providers.Summary, error) {
	limit := c.Limit
	if limit <= 0 {
		limit = providers.DefaultLimit
	}
	call, err := m.listCall(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []providers.Summary
	token := ""
	for len(out) < limit {
		var page *gmail.ListMessagesResponse
		err := m.retry(ctx, callList, func(ctx context.Context) error {
			var err error
			page, err = call.PageToken(token).Context(ctx).Do()
			return err
		}, nil)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(page.Messages))
		for i, g := range page.Messages {
			ids[i] = g.Id
		}
		for start := 0; start < len(ids) && len(out) < limit; {
			end := min(start+max(chunkSize, limit-len(out)), len(ids))
			found, err := m.matching(ctx, c, ids[start:end])
			if err != nil {
				return nil, err
			}
			out = append(out, found...)
			start = end
		}
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b providers.Summary) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	return out[:min(len(out), limit)], nil
}

// listCall prepares messages.list for the criteria's folder and q.
func (m *mailbox) listCall(ctx context.Context, c providers.Criteria) (*gmail.UsersMessagesListCall, error) {
	label, err := m.labelID(ctx, c.Folder)
	if err != nil {
		return nil, err
	}
	call := m.svc.Users.Messages.List(me).MaxResults(pageSize)
	folderQ := ""
	switch label {
	case "":
		folderQ = archiveQuery
	case "TRASH", "SPAM":
		call = call.LabelIds(label).IncludeSpamTrash(true)
	default:
		call = call.LabelIds(label)
	}
	if q := query(c, folderQ); q != "" {
		call = call.Q(q)
	}
	return call, nil
}

// matching fetches the summaries of ids and keeps those that meet the criteria; with a body
// criterion the full messages are fetched for the candidates. Messages deleted since the
// listing are skipped.
func (m *mailbox) matching(ctx context.Context, c providers.Criteria, ids []string) ([]providers.Summary, error) {
	// q had has:attachment when the criteria name it, which is exact: no need to look closer.
	summaries, err := m.summaries(ctx, ids, c.HasAttachments == nil)
	if err != nil {
		return nil, err
	}
	var out []providers.Summary
	var candidates []string
	for _, s := range summaries {
		if c.HasAttachments != nil {
			s.HasAttachments = *c.HasAttachments
		}
		if c.Match(s) {
			out = append(out, s)
			candidates = append(candidates, s.ID)
		}
	}
	if c.Body.IsZero() || len(out) == 0 {
		return out, nil
	}
	full, err := m.fullMessages(ctx, candidates)
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for i, msg := range full {
		if msg != nil && (c.Body.Match(msg.Text) || c.Body.Match(msg.HTML)) {
			kept = append(kept, out[i])
		}
	}
	return kept, nil
}

// summaries fetches format=metadata with only the summary headers, in batches. Metadata has no
// parts, so whether a message has attachments shows only in its top-level type; with
// attachments, the messages whose type leaves it open are read in full and classified as read
// classifies them, so that list and read agree.
func (m *mailbox) summaries(ctx context.Context, ids []string, attachments bool) ([]providers.Summary, error) {
	params := url.Values{"format": {"metadata"}, "metadataHeaders": summaryHeaders}.Encode()
	paths := make([]string, len(ids))
	for i, id := range ids {
		paths[i] = "messages/" + url.PathEscape(id) + "?" + params
	}
	got := make([]providers.Summary, len(ids))
	bad := make([]error, len(ids))
	_, errs := m.getMany(ctx, callList, paths, func(i int, body []byte) {
		var g gmail.Message
		if err := json.Unmarshal(body, &g); err != nil {
			bad[i] = m.apiError(callList, fmt.Errorf("decoding the answer: %w", err))
			return
		}
		got[i] = m.summary(ctx, &g)
	})
	out := make([]providers.Summary, 0, len(ids))
	for i := range ids {
		if providers.CodeOf(errs[i]) == providers.NotFound {
			continue
		}
		if err := errors.Join(errs[i], bad[i]); err != nil {
			return nil, err
		}
		out = append(out, got[i])
	}
	if attachments {
		return out, m.settleAttachments(ctx, out)
	}
	return out, nil
}

// summary reads a format=metadata answer; HasAttachments says only whether the message may have
// attachments (see mayHaveAttachments) until settleAttachments decides.
func (m *mailbox) summary(ctx context.Context, g *gmail.Message) providers.Summary {
	var msg providers.Message
	if g.Payload != nil {
		mimemsg.ApplyHeaders(&msg, headerOf(g.Payload.Headers))
		msg.HasAttachments = mayHaveAttachments(g.Payload.MimeType)
	}
	m.summaryFields(ctx, &msg.Summary, g)
	return msg.Summary
}

// mayHaveAttachments tells from a message's top-level type whether it can carry an attachment:
// text and multipart/alternative cannot; multipart/mixed often wraps a single text part.
func mayHaveAttachments(mediaType string) bool {
	mt := strings.ToLower(mediaType)
	return !strings.HasPrefix(mt, "text/") && mt != "multipart/alternative" && mt != "multipart/related"
}

// settleAttachments reads the messages that may have attachments and sets HasAttachments as
// read would.
func (m *mailbox) settleAttachments(ctx context.Context, list []providers.Summary) error {
	var open []int
	var ids []string
	for i, s := range list {
		if s.HasAttachments {
			open = append(open, i)
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	full, err := m.fullMessages(ctx, ids)
	if err != nil {
		return err
	}
	for k, i := range open {
		list[i].HasAttachments = full[k] != nil && full[k].HasAttachments
	}
	return nil
}

// fullMessages reads ids with format=full through the read coalescer; a message deleted in
// the meantime comes back nil.
func (m *mailbox) fullMessages(ctx context.Context, ids []string) ([]*providers.Message, error) {
	out := make([]*providers.Message, len(ids))
	errs := make([]error, len(ids))
	done := make(chan int, len(ids))
	for i, id := range ids {
		go func() {
			g, err := m.full(ctx, id)
			if err == nil {
				out[i] = m.fromFull(ctx, g)
			}
			errs[i] = err
			done <- i
		}()
	}
	for range ids {
		<-done
	}
	for _, err := range errs {
		if err != nil && providers.CodeOf(err) != providers.NotFound {
			return nil, err
		}
	}
	return out, nil
}
