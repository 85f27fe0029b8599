package store

import (
	"fmt"
	"strings"
)

// Well-known folder names, as Graph spells them. Every mailbox has all of them.
const (
	Inbox        = "inbox"
	SentItems    = "sentitems"
	DeletedItems = "deleteditems"
	Drafts       = "drafts"
	Archive      = "archive"
	JunkEmail    = "junkemail"
	Outbox       = "outbox"
)

// WellKnownFolders lists the well-known folders in the order Graph lists them.
var WellKnownFolders = []string{Archive, DeletedItems, Drafts, Inbox, JunkEmail, Outbox, SentItems}

var wellKnownNames = map[string]string{
	Inbox: "Inbox", SentItems: "Sent Items", DeletedItems: "Deleted Items", Drafts: "Drafts",
	Archive: "Archive", JunkEmail: "Junk Email", Outbox: "Outbox",
}

// gmailFolderNames names Google mailboxes' well-known folders as Gmail shows them, so the
// viewer and the inspection API speak each face's language ("Trash", not "Deleted Items").
var gmailFolderNames = map[string]string{
	Inbox: "Inbox", SentItems: "Sent", DeletedItems: "Trash", Drafts: "Drafts",
	Archive: "Archive", JunkEmail: "Spam", Outbox: "Outbox",
}

// gmailSystemLabels gives Google mailboxes' well-known folders the Gmail system label ids.
// Archive and Outbox have no Gmail counterpart: the Gmail face shows no label for them.
var gmailSystemLabels = map[string]string{
	Inbox: "INBOX", SentItems: "SENT", DeletedItems: "TRASH", Drafts: "DRAFT",
	JunkEmail: "SPAM", Archive: "ARCHIVE", Outbox: "OUTBOX",
}

// Folder is a mail folder (Microsoft) or label (Google). For Google mailboxes the well-known
// folders carry the Gmail system label ids (INBOX, SENT, TRASH, DRAFT, SPAM; ARCHIVE and OUTBOX
// are store-only) and custom folders ids like "Label_1"; for Microsoft mailboxes all ids are
// opaque Exchange-style base64 strings.
type Folder struct {
	ID        string
	Name      string // display name
	WellKnown string // one of the well-known names, empty for a custom folder
	ParentID  string // empty for top-level folders
}

func folderName(kind Kind, wellKnown string) string {
	if kind == Google {
		return gmailFolderNames[wellKnown]
	}
	return wellKnownNames[wellKnown]
}

func (s *Store) folderID(mb *mailbox, wellKnown string) string {
	if mb.Kind == Google {
		if wellKnown != "" {
			return gmailSystemLabels[wellKnown]
		}
		mb.labelSeq++
		return fmt.Sprintf("Label_%d", mb.labelSeq)
	}
	return s.ids.graphID(prefixFolder)
}

// Folders lists a mailbox's folders: well-known ones first, then custom ones in creation order.
func (s *Store) Folders(mailboxRef string) ([]Folder, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return nil, err
	}
	out := make([]Folder, len(mb.folders))
	for i, f := range mb.folders {
		out[i] = *f
	}
	return out, nil
}

// Folder finds a folder by id or by well-known name (case-insensitive).
func (s *Store) Folder(mailboxRef, ref string) (Folder, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return Folder{}, err
	}
	f, err := mb.folder(ref)
	if err != nil {
		return Folder{}, err
	}
	return *f, nil
}

func (mb *mailbox) folder(ref string) (*Folder, error) {
	for _, f := range mb.folders {
		if f.ID == ref || (f.WellKnown != "" && strings.EqualFold(f.WellKnown, ref)) {
			return f, nil
		}
	}
	return nil, fmt.Errorf("%w: folder %q in mailbox %s", ErrNotFound, ref, mb.Address)
}

// CreateFolder adds a custom folder (Graph) or user label (Gmail). parentRef may be empty.
// Display names must be unique among siblings, as on both services.
func (s *Store) CreateFolder(mailboxRef, name, parentRef string) (Folder, error) {
	if strings.TrimSpace(name) == "" {
		return Folder{}, fmt.Errorf("%w: folder name must not be empty", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return Folder{}, err
	}
	parent := ""
	if parentRef != "" {
		p, err := mb.folder(parentRef)
		if err != nil {
			return Folder{}, err
		}
		parent = p.ID
	}
	for _, f := range mb.folders {
		if f.ParentID == parent && strings.EqualFold(f.Name, name) {
			return Folder{}, fmt.Errorf("%w: a folder named %q already exists", ErrInvalid, name)
		}
	}
	f := &Folder{ID: s.folderID(mb, ""), Name: name, ParentID: parent}
	mb.folders = append(mb.folders, f)
	s.hub.publish(Event{Kind: FolderAdded, MailboxID: mb.ID, MessageID: f.ID})
	return *f, nil
}
