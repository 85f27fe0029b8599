package google

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/internal/coalesce"
)

// mailbox is one connected Gmail user. Safe for concurrent use.
type mailbox struct {
	cfg       *config
	conns     *providers.Conns // the token and Gmail clients' connections, closed by Close
	tokens    *tokenCache
	client    *http.Client // authenticated, confined to the Gmail host
	svc       *gmail.Service
	reads     *coalesce.Coalescer[string, fetched]
	readsByID coalesce.Group[string, *gmail.Message]
	// inFlight bounds the calls this mailbox has in progress in batches (Gmail's per-user
	// concurrency limit).
	inFlight *callBudget
	quota    *quota // the user's quota bucket, which the transport draws on

	labelsMu   sync.Mutex
	labels     []*gmail.Label // cached by listLabels; refreshed when a name is not found
	labelFetch coalesce.Group[struct{}, []*gmail.Label]
}

func newMailbox(cfg *config) (*mailbox, error) {
	gu, err := url.Parse(cfg.gmailURL)
	if err != nil {
		return nil, &providers.OptionError{Field: "gmailUrl", Problem: err.Error()}
	}
	conns := providers.NewConns(cfg.tls)
	tokenClient, base, err := newClients(cfg.key.TokenURI, gu, conns)
	if err != nil {
		return nil, &providers.OptionError{Field: "credentials", Problem: "token_uri: " + err.Error()}
	}
	tokens, err := sharedTokenCache(cfg, tokenClient)
	if err != nil {
		return nil, &providers.OptionError{Field: "credentials", Problem: "cannot be used: " + cfg.redact(err)}
	}
	q := quotaFor(cfg.shared, quotaKey{gu.Host, cfg.key.project(), cfg.user}, cfg.quotaRate)
	client := &http.Client{Transport: &authTransport{tokens: tokens, slots: slotsFor(cfg.shared, gu.Host, cfg.user), quota: q, next: base}}
	// context.Background is fine: with an explicit client NewService makes no request.
	svc, err := gmail.NewService(context.Background(), option.WithHTTPClient(client), option.WithEndpoint(cfg.gmailURL))
	if err != nil {
		return nil, &providers.OptionError{Field: "gmailUrl", Problem: err.Error()}
	}
	m := &mailbox{cfg: cfg, conns: conns, tokens: tokens, client: client, svc: svc, inFlight: newCallBudget(), quota: q}
	m.reads = newReads(m)
	return m, nil
}

// Close releases the mailbox's connections (see providers.Conns.Close).
func (m *mailbox) Close() error { return m.conns.Close() }

// me is the userId of every call: the impersonated user, as the token's subject.
const me = "me"

var (
	callLabels  = call{"list labels", ScopeModify}
	callModify  = call{"change the message's labels", ScopeModify}
	callTrash   = call{"move the message to the trash", ScopeModify}
	callDelete  = call{"delete the message permanently", ScopeFull}
	callProfile = call{"read the mailbox profile", ScopeModify}
)

// wellKnown maps the folder names scripts use to Gmail system labels.
var wellKnown = map[string]string{
	"inbox": "INBOX", "sent": "SENT", "drafts": "DRAFT", "trash": "TRASH", "junk": "SPAM", "spam": "SPAM",
	"starred": "STARRED", "important": "IMPORTANT",
}

// folderLabels lists, in Folders order, the system labels shown as folders; the others
// (CATEGORY_*, UNREAD, CHAT) are not places mail is moved to.
var folderLabels = []string{"INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "STARRED", "IMPORTANT"}

var wellKnownOf = map[string]string{"INBOX": "inbox", "SENT": "sent", "DRAFT": "drafts", "SPAM": "junk", "TRASH": "trash"}

// listLabels returns the user's labels, cached unless fresh. One listing is fetched at a time,
// shared by the callers asking meanwhile, each waiting only as long as its context allows.
func (m *mailbox) listLabels(ctx context.Context, fresh bool) ([]*gmail.Label, error) {
	m.labelsMu.Lock()
	labels := m.labels
	m.labelsMu.Unlock()
	if labels != nil && !fresh {
		return labels, nil
	}
	return m.labelFetch.Do(ctx, struct{}{}, func(ctx context.Context) ([]*gmail.Label, error) {
		var resp *gmail.ListLabelsResponse
		err := m.retry(ctx, callLabels, func(ctx context.Context) error {
			var err error
			resp, err = m.svc.Users.Labels.List(me).Context(ctx).Do()
			return err
		}, nil)
		if err != nil {
			return nil, err
		}
		m.labelsMu.Lock()
		defer m.labelsMu.Unlock()
		m.labels = resp.Labels
		return resp.Labels, nil
	})
}

// labelID resolves a folder name ("inbox", "junk", a user label's name, or a label id) to a
// label id; "archive" (no label) returns "". An unknown name is NOT_FOUND listing the labels.
func (m *mailbox) labelID(ctx context.Context, folder string) (string, error) {
	name := strings.TrimSpace(folder)
	if name == "" {
		return "INBOX", nil
	}
	if strings.EqualFold(name, "archive") {
		return "", nil
	}
	if id, ok := wellKnown[strings.ToLower(name)]; ok {
		return id, nil
	}
	for _, fresh := range []bool{false, true} {
		labels, err := m.listLabels(ctx, fresh)
		if err != nil {
			return "", err
		}
		for _, l := range labels {
			if l.Id == name || strings.EqualFold(l.Name, name) {
				return l.Id, nil
			}
		}
	}
	labels, _ := m.listLabels(ctx, false)
	names := []string{"inbox", "sent", "drafts", "trash", "junk", "archive"}
	for _, l := range labels {
		if l.Type == "user" {
			names = append(names, l.Name)
		}
	}
	return "", &providers.Error{Code: providers.NotFound, Provider: Name, Status: http.StatusNotFound,
		Message: fmt.Sprintf("no folder or label %q in %s: use one of %s", folder, m.cfg.user, strings.Join(names, ", "))}
}

// labelName is the folder name a summary shows for a label id.
func (m *mailbox) labelName(ctx context.Context, id string) string {
	if wk, ok := wellKnownOf[id]; ok {
		return wk
	}
	labels, _ := m.listLabels(ctx, false)
	for _, l := range labels {
		if l.Id == id {
			return l.Name
		}
	}
	return id
}

// folderOf says where a message lives from its labels: trash and spam first (Gmail keeps
// other labels on trashed mail), then inbox, then a user label, else the archive.
func (m *mailbox) folderOf(ctx context.Context, labelIDs []string) string {
	has := map[string]bool{}
	for _, l := range labelIDs {
		has[l] = true
	}
	for _, id := range []string{"TRASH", "SPAM", "INBOX", "DRAFT"} {
		if has[id] {
			return wellKnownOf[id]
		}
	}
	for _, l := range labelIDs {
		if strings.HasPrefix(l, "Label_") {
			return m.labelName(ctx, l)
		}
	}
	if has["SENT"] {
		return "sent"
	}
	return "archive"
}

// Folders lists the system folders and the user labels, with counts fetched in one batch.
func (m *mailbox) Folders(ctx context.Context) ([]providers.Folder, error) {
	labels, err := m.listLabels(ctx, true)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, l := range labels {
		if l.Type == "user" || slices.Contains(folderLabels, l.Id) {
			ids = append(ids, l.Id)
		}
	}
	paths := make([]string, len(ids))
	for i, id := range ids {
		paths[i] = "labels/" + url.PathEscape(id)
	}
	got, err := getJSON[gmail.Label](ctx, m, callLabels, paths)
	if err != nil {
		return nil, err
	}
	out := make([]providers.Folder, 0, len(got))
	for _, l := range got {
		out = append(out, providers.Folder{ID: l.Id, Name: l.Name, WellKnown: wellKnownOf[l.Id],
			Total: int(l.MessagesTotal), Unread: int(l.MessagesUnread)})
	}
	order := func(id string) int {
		for i, s := range folderLabels {
			if s == id {
				return i
			}
		}
		return len(folderLabels)
	}
	sort.SliceStable(out, func(i, j int) bool {
		oi, oj := order(out[i].ID), order(out[j].ID)
		if oi != oj {
			return oi < oj
		}
		return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
	})
	return out, nil
}

// Delete moves the message to the trash, or deletes it for good with Permanent (which needs
// the https://mail.google.com/ scope).
func (m *mailbox) Delete(ctx context.Context, id string, o providers.DeleteOptions) (string, error) {
	if o.Permanent {
		return "", m.retry(ctx, callDelete, func(ctx context.Context) error {
			return m.svc.Users.Messages.Delete(me, id).Context(ctx).Do()
		}, nil)
	}
	return id, m.retry(ctx, callTrash, func(ctx context.Context) error {
		_, err := m.svc.Users.Messages.Trash(me, id).Context(ctx).Do()
		return err
	}, nil)
}

// Move changes labels so that the message shows in folder only: "inbox", "archive" (out of the
// inbox), "junk", "trash" or a user label. Gmail keeps ids across label changes.
func (m *mailbox) Move(ctx context.Context, id, folder string) (string, error) {
	target, err := m.labelID(ctx, folder)
	if err != nil {
		return "", err
	}
	switch target {
	case "TRASH":
		return m.Delete(ctx, id, providers.DeleteOptions{})
	case "SENT", "DRAFT":
		return "", &providers.Error{Code: providers.InvalidArgument, Provider: Name,
			Message: fmt.Sprintf("cannot move a message to %q: Gmail sets that label itself; use inbox, archive, junk, trash or a label", folder)}
	}
	req := &gmail.ModifyMessageRequest{}
	for _, l := range []string{"INBOX", "SPAM", "TRASH"} {
		if l != target {
			req.RemoveLabelIds = append(req.RemoveLabelIds, l)
		}
	}
	if target != "" {
		req.AddLabelIds = []string{target}
	}
	return id, m.modify(ctx, id, req)
}

// MarkRead adds or removes the UNREAD label.
func (m *mailbox) MarkRead(ctx context.Context, id string, read bool) error {
	req := &gmail.ModifyMessageRequest{AddLabelIds: []string{"UNREAD"}}
	if read {
		req = &gmail.ModifyMessageRequest{RemoveLabelIds: []string{"UNREAD"}}
	}
	return m.modify(ctx, id, req)
}

func (m *mailbox) modify(ctx context.Context, id string, req *gmail.ModifyMessageRequest) error {
	return m.retry(ctx, callModify, func(ctx context.Context) error {
		_, err := m.svc.Users.Messages.Modify(me, id, req).Context(ctx).Do()
		return err
	}, nil)
}

// Address implements providers.Mailbox: the impersonated user.
func (m *mailbox) Address() string { return m.cfg.user }
