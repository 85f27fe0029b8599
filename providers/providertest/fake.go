// Package providertest provides an in-memory providers.Mailbox for testing the runtime and the
// bindings without a network. It follows the Mailbox contract (newest first, limits, waitFor
// seeing only new mail) but speaks no wire protocol: providers themselves are tested against
// the emulator.
package providertest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// Fake is an in-memory mailbox. The zero value is not usable: call New.
type Fake struct {
	address string

	mu      sync.Mutex
	next    int
	msgs    map[string]*providers.Message
	changed chan struct{} // closed and replaced on every change, to wake waiters
	// Sent records every draft sent, in order.
	Sent []providers.Draft
	// closes counts Close calls: a connect hands out f itself, so one per connect whose VM ended.
	closes atomic.Int64
}

// New returns an empty fake mailbox for address.
func New(address string) *Fake {
	return &Fake{address: address, msgs: map[string]*providers.Message{}, changed: make(chan struct{})}
}

// Connect is a providers.ConnectFunc that hands out f, accepting the option "mailbox" only.
func (f *Fake) Connect(opts providers.Options, _ providers.Env, _ *providers.Shared) (providers.Mailbox, error) {
	if err := opts.Check("mailbox"); err != nil {
		return nil, err
	}
	return f, nil
}

// Add stores m in the folder given by its summary ("inbox" when empty), assigns an id and
// returns it. A zero ReceivedAt becomes now.
func (f *Fake) Add(m providers.Message) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	m.ID = fmt.Sprintf("m%06d", f.next) // fixed width: string order is arrival order
	if m.Folder == "" {
		m.Folder = "inbox"
	}
	if m.ReceivedAt.IsZero() {
		m.ReceivedAt = time.Now()
	}
	m.HasAttachments = len(m.Attachments) > 0
	if m.Recipients == nil {
		m.Recipients = providers.RecipientsOf(m.To, m.Cc)
	}
	if m.Links == nil {
		m.Links = providers.Links(m.Text, m.HTML)
	}
	f.msgs[m.ID] = &m
	f.notify()
	return m.ID
}

func (f *Fake) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func folderOf(c providers.Criteria) string {
	if c.Folder == "" {
		return "inbox"
	}
	return c.Folder
}

// Address implements providers.Mailbox.
func (f *Fake) Address() string { return f.address }

// List implements providers.Mailbox.
func (f *Fake) List(ctx context.Context, c providers.Criteria) ([]providers.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []providers.Summary
	for _, m := range f.sorted() {
		if m.Folder == folderOf(c) && c.MatchMessage(m) {
			out = append(out, m.Summary)
		}
	}
	limit := c.Limit
	if limit == 0 {
		limit = providers.DefaultLimit
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, ctx.Err()
}

// sorted returns the messages newest first; ties by id, so that order is stable.
func (f *Fake) sorted() []*providers.Message {
	all := make([]*providers.Message, 0, len(f.msgs))
	for _, m := range f.msgs {
		all = append(all, m)
	}
	slices.SortFunc(all, func(a, b *providers.Message) int {
		if c := b.ReceivedAt.Compare(a.ReceivedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return all
}

func (f *Fake) get(id string) (*providers.Message, error) {
	m, ok := f.msgs[id]
	if !ok {
		return nil, &providers.Error{Code: providers.NotFound, Provider: "fake", Status: 404,
			ProviderCode: "ErrorItemNotFound", Message: fmt.Sprintf("message %q not found: it may have been moved or deleted", id)}
	}
	return m, nil
}

// Read implements providers.Mailbox.
func (f *Fake) Read(ctx context.Context, id string, o providers.ReadOptions) (*providers.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.get(id)
	if err != nil {
		return nil, err
	}
	cp := *m
	if !o.Raw {
		cp.Raw = nil
	}
	return &cp, ctx.Err()
}

// Send implements providers.Mailbox: the draft is recorded in Sent and, when addressed to the
// fake's own address, delivered to its inbox.
func (f *Fake) Send(ctx context.Context, d providers.Draft) (providers.SendResult, error) {
	if d.MessageID == "" {
		d.MessageID = providers.NewMessageID(f.address)
	}
	f.mu.Lock()
	f.Sent = append(f.Sent, d)
	f.mu.Unlock()
	for _, to := range slices.Concat(d.To, d.Cc, d.Bcc) {
		if to.Address == f.address {
			atts := make([]providers.Attachment, len(d.Attachments))
			for i, a := range d.Attachments {
				content := a.Content
				atts[i] = providers.Attachment{ID: "a" + strconv.Itoa(i), Name: a.Name, ContentType: a.ContentType,
					Size: int64(len(content)), Inline: a.Inline, ContentID: a.ContentID,
					Content: func(context.Context) ([]byte, error) { return content, nil }}
			}
			from := providers.Address{Address: f.address}
			f.Add(providers.Message{Summary: providers.Summary{Subject: d.Subject, From: from, To: d.To},
				Cc: d.Cc, ReplyTo: d.ReplyTo, MessageID: d.MessageID, Text: d.Text, HTML: d.HTML, Attachments: atts,
				Raw: []byte("Message-ID: " + d.MessageID + "\r\nSubject: " + d.Subject + "\r\n\r\n" + d.Text)})
			break
		}
	}
	return providers.SendResult{MessageID: d.MessageID}, ctx.Err()
}

// WaitFor implements providers.Mailbox: it resolves with the newest matching message received
// at or after the call (or c.Since), or fails with a TIMEOUT error.
func (f *Fake) WaitFor(ctx context.Context, c providers.Criteria, o providers.WaitOptions) (*providers.Message, error) {
	if c.Since.IsZero() {
		c.Since = time.Now()
	}
	deadline := time.NewTimer(o.Timeout)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		changed := f.changed
		for _, m := range f.sorted() {
			if m.Folder == folderOf(c) && c.MatchMessage(m) {
				cp := *m
				f.mu.Unlock()
				return &cp, nil
			}
		}
		f.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			return nil, &providers.Error{Code: providers.Timeout, Provider: "fake",
				Message: fmt.Sprintf("no matching message arrived within %s", o.Timeout)}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Delete implements providers.Mailbox: to "deleteditems", or gone when permanent.
func (f *Fake) Delete(ctx context.Context, id string, o providers.DeleteOptions) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.get(id)
	if err != nil {
		return "", err
	}
	if o.Permanent {
		delete(f.msgs, id)
		id = ""
	} else {
		m.Folder = "deleteditems"
	}
	f.notify()
	return id, ctx.Err()
}

// Move implements providers.Mailbox; the id stays the same.
func (f *Fake) Move(ctx context.Context, id, folder string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.get(id)
	if err != nil {
		return "", err
	}
	m.Folder = folder
	f.notify()
	return id, ctx.Err()
}

// MarkRead implements providers.Mailbox.
func (f *Fake) MarkRead(ctx context.Context, id string, read bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.get(id)
	if err != nil {
		return err
	}
	m.IsRead = read
	f.notify()
	return ctx.Err()
}

// Folders implements providers.Mailbox.
func (f *Fake) Folders(ctx context.Context) ([]providers.Folder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	counts := map[string]*providers.Folder{}
	for _, name := range []string{"inbox", "sentitems", "deleteditems", "drafts"} {
		counts[name] = &providers.Folder{ID: name, Name: name, WellKnown: name}
	}
	for _, m := range f.msgs {
		fo, ok := counts[m.Folder]
		if !ok {
			fo = &providers.Folder{ID: m.Folder, Name: m.Folder}
			counts[m.Folder] = fo
		}
		fo.Total++
		if !m.IsRead {
			fo.Unread++
		}
	}
	out := make([]providers.Folder, 0, len(counts))
	for _, fo := range counts {
		out = append(out, *fo)
	}
	slices.SortFunc(out, func(a, b providers.Folder) int { return strings.Compare(a.ID, b.ID) })
	return out, ctx.Err()
}

// Close implements providers.Mailbox; it only counts the call (see Closes).
func (f *Fake) Close() error {
	f.closes.Add(1)
	return nil
}

// Closes reports how many times Close was called.
func (f *Fake) Closes() int { return int(f.closes.Load()) }
