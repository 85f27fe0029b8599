package store

import (
	"fmt"
	"strconv"
	"time"
)

// SinkMessage is mail addressed to addresses no emulated mailbox owns.
type SinkMessage struct {
	ID         string   // "1", "2", ...: stable until ClearSink or Reset
	From       string   // sending mailbox address, or the SMTP envelope sender
	Recipients []string // the unknown addresses
	Raw        []byte
	MessageID  string
	Subject    string
	ReceivedAt time.Time
}

// sinkLocked keeps a copy of raw for the recipients no mailbox owns.
func (s *Store) sinkLocked(from string, rcpts []string, raw []byte, msgID string) {
	s.sinkSeq++
	head, _ := splitMessage(raw)
	s.sink = append(s.sink, SinkMessage{
		ID: strconv.Itoa(s.sinkSeq), From: from, Recipients: rcpts, Raw: raw, MessageID: msgID,
		Subject: DecodeHeader(headerValue(parseHeaderBlock(head), "Subject")), ReceivedAt: s.now(),
	})
	s.hub.publish(Event{Kind: SinkReceived, MessageID: strconv.Itoa(s.sinkSeq)})
}

// Sink returns the mail sent to unknown addresses, oldest first.
func (s *Store) Sink() []SinkMessage {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]SinkMessage(nil), s.sink...)
}

// SinkMessage finds one sink message by id.
func (s *Store) SinkMessage(id string) (SinkMessage, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, m := range s.sink {
		if m.ID == id {
			return m, nil
		}
	}
	return SinkMessage{}, fmt.Errorf("%w: sink message %q", ErrNotFound, id)
}

// ClearSink forgets the sink's mail; ids keep counting up.
func (s *Store) ClearSink() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sink = nil
	s.hub.publish(Event{Kind: SinkCleared})
}

// DeleteSinkMessage forgets one sink message.
func (s *Store) DeleteSinkMessage(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range s.sink {
		if m.ID == id {
			s.sink = append(s.sink[:i:i], s.sink[i+1:]...)
			s.hub.publish(Event{Kind: SinkDeleted, MessageID: id})
			return nil
		}
	}
	return fmt.Errorf("%w: sink message %q", ErrNotFound, id)
}

// Parse reads the message the way a mailbox stores it (headers, text, HTML, attachments), for
// showing sink mail with the same fields as hosted mail.
func (m SinkMessage) Parse() (*Message, error) {
	out := &Message{ID: m.ID, ReceivedAt: m.ReceivedAt}
	n := 0
	err := parseMessage(m.Raw, out, func() string { n++; return strconv.Itoa(n) })
	return out, err
}
