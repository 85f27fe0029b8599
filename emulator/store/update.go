package store

import (
	"slices"
)

// Change is a state update for Update; nil / empty fields are left alone.
type Change struct {
	IsRead     *bool
	Flagged    *bool
	Importance *string
	Categories *[]string
	// AddLabels and RemoveLabels edit the message's label set (its folder plus its labels),
	// by folder id or well-known name. When the folder itself is removed, the first remaining
	// well-known folder takes its place, else Archive: Gmail's "remove INBOX" archives.
	AddLabels    []string
	RemoveLabels []string
}

// Update applies a state change and records it (LabelsAdded / LabelsRemoved for label and
// read/flag changes, Updated for the rest). It returns the new snapshot.
func (s *Store) Update(mailboxRef, id string, c Change) (*Message, error) {
	return s.withMessage(mailboxRef, id, func(mb *mailbox, old *Message) (*Message, error) {
		m := *old
		if c.IsRead != nil {
			m.IsRead = *c.IsRead
		}
		if c.Flagged != nil {
			m.Flagged = *c.Flagged
		}
		if c.Importance != nil {
			m.Importance = *c.Importance
		}
		if c.Categories != nil {
			m.Categories = slices.Clone(*c.Categories)
		}
		if len(c.AddLabels) > 0 || len(c.RemoveLabels) > 0 {
			if err := mb.relabel(&m, c.AddLabels, c.RemoveLabels); err != nil {
				return nil, err
			}
		}
		s.commitLocked(mb, old, &m)
		return &m, nil
	})
}

// relabel edits m's folder and labels.
func (mb *mailbox) relabel(m *Message, add, remove []string) error {
	set := append([]string{m.FolderID}, m.Labels...)
	for _, ref := range remove {
		f, err := mb.folder(ref)
		if err != nil {
			return err
		}
		set = slices.DeleteFunc(set, func(id string) bool { return id == f.ID })
	}
	for _, ref := range add {
		f, err := mb.folder(ref)
		if err != nil {
			return err
		}
		if !slices.Contains(set, f.ID) {
			set = append(set, f.ID)
		}
	}
	archive, _ := mb.folder(Archive)
	set = slices.DeleteFunc(set, func(id string) bool { return id == archive.ID })
	folder := ""
	if slices.Contains(set, m.FolderID) {
		folder = m.FolderID
	}
	for _, id := range set {
		if f, _ := mb.folder(id); folder == "" && f.WellKnown != "" {
			folder = id
		}
	}
	if folder == "" {
		folder = archive.ID
	}
	m.FolderID = folder
	m.Labels = slices.DeleteFunc(set, func(id string) bool { return id == folder })
	return nil
}

// commitLocked replaces old by m and records the difference in the change log.
func (s *Store) commitLocked(mb *mailbox, old, m *Message) {
	before, after := old.LabelKeys(), m.LabelKeys()
	var added, removed []string
	for _, k := range after {
		if !slices.Contains(before, k) {
			added = append(added, k)
		}
	}
	for _, k := range before {
		if !slices.Contains(after, k) {
			removed = append(removed, k)
		}
	}
	if len(removed) > 0 {
		m.HistoryID = s.record(mb, LabelsRemoved, m, removed)
	}
	if len(added) > 0 {
		m.HistoryID = s.record(mb, LabelsAdded, m, added)
	}
	if len(added) == 0 && len(removed) == 0 {
		m.HistoryID = s.record(mb, Updated, m, nil)
	}
	m.ChangeKey = s.ids.changeKey()
	m.ModifiedAt = s.now()
	mb.messages[m.ID] = m
}

// Move puts a message in another folder, keeping its labels. On Microsoft mailboxes the
// message gets a new id, as Graph's move does (recorded as MessageDeleted + MessageAdded); on
// Google mailboxes the id stays.
func (s *Store) Move(mailboxRef, id, folderRef string) (*Message, error) {
	return s.withMessage(mailboxRef, id, func(mb *mailbox, old *Message) (*Message, error) {
		f, err := mb.folder(folderRef)
		if err != nil {
			return nil, err
		}
		m := *old
		m.FolderID = f.ID
		m.Labels = slices.DeleteFunc(slices.Clone(m.Labels), func(l string) bool { return l == f.ID })
		if mb.Kind == Google {
			s.commitLocked(mb, old, &m)
			return &m, nil
		}
		delete(mb.messages, old.ID)
		s.record(mb, MessageDeleted, old, old.LabelKeys())
		m.ID = s.messageID(mb)
		m.ChangeKey = s.ids.changeKey()
		m.ModifiedAt = s.now()
		m.HistoryID = s.record(mb, MessageAdded, &m, m.LabelKeys())
		mb.messages[m.ID] = &m
		return &m, nil
	})
}

// ReplaceRaw swaps a message's content (Graph draft edits), keeping its id, state and the ids
// of attachments that are still there (same name, type and size, in order).
func (s *Store) ReplaceRaw(mailboxRef, id string, raw []byte) (*Message, error) {
	return s.withMessage(mailboxRef, id, func(mb *mailbox, old *Message) (*Message, error) {
		m := *old
		reuse := slices.Clone(old.Attachments)
		fresh := s.attachmentIDFunc(mb)
		if err := parseMessage(raw, &m, fresh); err != nil {
			return nil, err
		}
		for i := range m.Attachments {
			a := &m.Attachments[i]
			for j, o := range reuse {
				if o.Name == a.Name && o.ContentType == a.ContentType && len(o.Data) == len(a.Data) {
					setPartAttachmentID(m.Root, a.ID, o.ID)
					a.ID = o.ID
					reuse = slices.Delete(reuse, j, j+1)
					break
				}
			}
		}
		s.commitLocked(mb, old, &m)
		return &m, nil
	})
}

func setPartAttachmentID(p *Part, from, to string) {
	if p == nil {
		return
	}
	if p.AttachmentID == from {
		p.AttachmentID = to
	}
	for _, c := range p.Parts {
		setPartAttachmentID(c, from, to)
	}
}
