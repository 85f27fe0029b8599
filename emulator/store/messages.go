package store

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// InsertOptions place a message in a mailbox.
type InsertOptions struct {
	Folder  string   // folder id or well-known name; empty means inbox
	Labels  []string // extra folder ids / label ids
	IsRead  bool
	Flagged bool
	// ReceivedAt defaults to now; InternalDate defaults to ReceivedAt.
	ReceivedAt   time.Time
	InternalDate time.Time
}

// Insert stores raw (RFC 5322) in a mailbox as if received there; the message is parsed, given
// ids and a thread, and recorded as MessageAdded. It returns the stored snapshot.
func (s *Store) Insert(mailboxRef string, raw []byte, opt InsertOptions) (*Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return nil, err
	}
	return s.insertLocked(mb, raw, opt)
}

func (s *Store) insertLocked(mb *mailbox, raw []byte, opt InsertOptions) (*Message, error) {
	folderRef := opt.Folder
	if folderRef == "" {
		folderRef = Inbox
	}
	f, err := mb.folder(folderRef)
	if err != nil {
		return nil, err
	}
	m := &Message{MailboxID: mb.ID, FolderID: f.ID, IsRead: opt.IsRead, Flagged: opt.Flagged}
	for _, l := range opt.Labels {
		lf, err := mb.folder(l)
		if err != nil {
			return nil, err
		}
		if lf.ID != f.ID {
			m.Labels = append(m.Labels, lf.ID)
		}
	}
	if err := parseMessage(raw, m, s.attachmentIDFunc(mb)); err != nil {
		return nil, err
	}
	now := s.now()
	m.ReceivedAt = opt.ReceivedAt
	if m.ReceivedAt.IsZero() {
		m.ReceivedAt = now
	}
	m.InternalDate = opt.InternalDate
	if m.InternalDate.IsZero() {
		m.InternalDate = m.ReceivedAt
	}
	m.CreatedAt, m.ModifiedAt = m.ReceivedAt, m.ReceivedAt
	m.ID = s.messageID(mb)
	m.ThreadID = s.threadFor(mb, m)
	m.ChangeKey = s.ids.changeKey()
	m.HistoryID = s.record(mb, MessageAdded, m, m.LabelKeys())
	mb.messages[m.ID] = m
	return m, nil
}

func (s *Store) messageID(mb *mailbox) string {
	if mb.Kind == Google {
		return s.ids.gmailID()
	}
	return s.ids.graphID(prefixMessage)
}

func (s *Store) attachmentIDFunc(mb *mailbox) func() string {
	if mb.Kind == Google {
		return s.ids.gmailAttachmentID
	}
	return func() string { return s.ids.graphID(prefixAttachment) }
}

// threadFor joins the thread of a message this one replies to, or starts a new thread (Gmail
// names a thread after its first message).
func (s *Store) threadFor(mb *mailbox, m *Message) string {
	thread := ""
	refs := strings.Fields(m.References + " " + m.InReplyTo)
	for i := len(refs) - 1; i >= 0 && thread == ""; i-- {
		thread = mb.threads[refs[i]]
	}
	switch {
	case thread != "":
	case mb.Kind == Google:
		thread = m.ID
	default:
		thread = s.ids.graphID(prefixThread)
	}
	if m.MessageID != "" && mb.threads[m.MessageID] == "" {
		mb.threads[m.MessageID] = thread
	}
	return thread
}

// Get returns a message snapshot. Snapshots are never modified by the store; do not modify them.
func (s *Store) Get(mailboxRef, id string) (*Message, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return nil, err
	}
	return mb.message(id)
}

func (mb *mailbox) message(id string) (*Message, error) {
	m, ok := mb.messages[id]
	if !ok {
		return nil, fmt.Errorf("%w: message %q in mailbox %s", ErrNotFound, id, mb.Address)
	}
	return m, nil
}

// Attachment returns one attachment of a message.
func (s *Store) Attachment(mailboxRef, messageID, attachmentID string) (Attachment, error) {
	m, err := s.Get(mailboxRef, messageID)
	if err != nil {
		return Attachment{}, err
	}
	for _, a := range m.Attachments {
		if a.ID == attachmentID {
			return a, nil
		}
	}
	return Attachment{}, fmt.Errorf("%w: attachment %q of message %q", ErrNotFound, attachmentID, messageID)
}

// Query selects messages for List.
type Query struct {
	// Folder is a folder id or well-known name; a message matches when it is in the folder or
	// carries it as a label. Empty means the whole mailbox.
	Folder string
	// Match, when set, must return true for a message to be listed. It runs under the store's
	// read lock: it must not call the store.
	Match func(*Message) bool
}

// List returns the matching messages, newest (ReceivedAt) first, ties broken by id.
func (s *Store) List(mailboxRef string, q Query) ([]*Message, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return nil, err
	}
	folderID := ""
	if q.Folder != "" {
		f, err := mb.folder(q.Folder)
		if err != nil {
			return nil, err
		}
		folderID = f.ID
	}
	out := make([]*Message, 0, len(mb.messages))
	for _, m := range mb.messages {
		if folderID != "" && !m.InFolder(folderID) {
			continue
		}
		if q.Match != nil && !q.Match(m) {
			continue
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].ReceivedAt.Equal(out[j].ReceivedAt) {
			return out[i].ReceivedAt.After(out[j].ReceivedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Delete removes a message for good (Graph permanentDelete, Gmail delete). Moving to Deleted
// Items / Trash is Move or Update.
func (s *Store) Delete(mailboxRef, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return err
	}
	m, err := mb.message(id)
	if err != nil {
		return err
	}
	delete(mb.messages, id)
	s.record(mb, MessageDeleted, m, m.LabelKeys())
	return nil
}
