package store

import (
	"fmt"
	"strings"
)

// GmailTrash moves a Google mailbox's message to Trash the way Gmail's messages.trash does:
// TRASH becomes its folder, INBOX goes, other labels (SENT, user labels) stay, so untrash
// (Update removing TRASH) brings back what remains.
func (s *Store) GmailTrash(mailboxRef, id string) (*Message, error) {
	return s.withMessage(mailboxRef, id, func(mb *mailbox, old *Message) (*Message, error) {
		trash, _ := mb.folder(DeletedItems)
		inbox, _ := mb.folder(Inbox)
		archive, _ := mb.folder(Archive)
		m := *old
		m.Labels = nil
		for _, l := range append([]string{old.FolderID}, old.Labels...) {
			if l != trash.ID && l != inbox.ID && l != archive.ID {
				m.Labels = append(m.Labels, l)
			}
		}
		m.FolderID = trash.ID
		s.commitLocked(mb, old, &m)
		return &m, nil
	})
}

// EnsureGmailLabel gives a Google mailbox a system label that has no store folder of its own
// (IMPORTANT, CATEGORY_*), so that messages can carry it. It is a no-op when it exists.
func (s *Store) EnsureGmailLabel(mailboxRef, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return err
	}
	if _, err := mb.folder(id); err == nil {
		return nil
	}
	if mb.Kind != Google || id == "" || strings.HasPrefix(id, "Label_") {
		return fmt.Errorf("%w: %q is not a Gmail system label of a Google mailbox", ErrInvalid, id)
	}
	mb.folders = append(mb.folders, &Folder{ID: id, Name: id})
	s.hub.publish(Event{Kind: FolderAdded, MailboxID: mb.ID, MessageID: id})
	return nil
}
