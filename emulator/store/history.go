package store

import "fmt"

// History record kinds, named after Gmail's history types; Graph delta reads them too.
const (
	MessageAdded   = "messageAdded"
	MessageDeleted = "messageDeleted"
	LabelsAdded    = "labelsAdded"
	LabelsRemoved  = "labelsRemoved"
	// Updated covers changes with no label meaning: content replaced (draft edits),
	// importance, categories.
	Updated = "updated"
)

// HistoryRecord is one entry of a mailbox's change log. Labels are label keys (see
// Message.LabelKeys): for MessageAdded the message's keys, for LabelsAdded/LabelsRemoved the
// keys that changed.
type HistoryRecord struct {
	ID        uint64
	Kind      string
	MessageID string
	ThreadID  string
	Labels    []string
}

// record appends to the change log, tells subscribers, and returns the new history id.
// Callers hold s.mu. Every change to a mailbox's messages comes through here.
func (s *Store) record(mb *mailbox, kind string, m *Message, labels []string) uint64 {
	mb.histID++
	mb.history = append(mb.history, HistoryRecord{ID: mb.histID, Kind: kind, MessageID: m.ID, ThreadID: m.ThreadID, Labels: labels})
	s.hub.publish(Event{Kind: kind, MailboxID: mb.ID, MessageID: m.ID, Labels: labels})
	if over := len(mb.history) - s.histCap; over > 0 {
		mb.histMin = mb.history[over-1].ID
		mb.history = append([]HistoryRecord(nil), mb.history[over:]...)
	}
	return mb.histID
}

// HistoryID returns the mailbox's current history id (Gmail getProfile's historyId).
func (s *Store) HistoryID(mailboxRef string) (uint64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return 0, err
	}
	return mb.histID, nil
}

// History returns the records after since, oldest first, and the current history id. A since
// older than the retained log gives ErrHistoryExpired (Gmail answers 404 then).
func (s *Store) History(mailboxRef string, since uint64) ([]HistoryRecord, uint64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return nil, 0, err
	}
	if since < mb.histMin {
		return nil, mb.histID, fmt.Errorf("%w: history id %d is older than the oldest retained (%d)", ErrHistoryExpired, since, mb.histMin)
	}
	// Records are sorted by id: binary search for the first one after since.
	lo, hi := 0, len(mb.history)
	for lo < hi {
		mid := (lo + hi) / 2
		if mb.history[mid].ID <= since {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return append([]HistoryRecord(nil), mb.history[lo:]...), mb.histID, nil
}
