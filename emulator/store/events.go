package store

import (
	"sync"
	"sync/atomic"
)

// Event kinds beyond the history record kinds (MessageAdded, MessageDeleted, LabelsAdded,
// LabelsRemoved, Updated), which events for mailbox messages reuse.
const (
	SinkReceived  = "sinkReceived"
	SinkDeleted   = "sinkDeleted"
	SinkCleared   = "sinkCleared"
	FolderAdded   = "folderAdded"
	MailboxAdded  = "mailboxAdded"
	StoreReset    = "reset"
	defaultBuffer = 256
)

// Event tells a subscriber that the store changed: which kind of change, in which mailbox
// (empty for the sink and for resets), and to which message or sink message.
type Event struct {
	Kind      string   `json:"kind"`
	MailboxID string   `json:"mailbox,omitempty"`
	MessageID string   `json:"id,omitempty"`
	Labels    []string `json:"labels,omitempty"` // the history record's label keys
}

// Subscription receives the store's events on C until Close. It never slows the store: when
// C is full the event is dropped and Missed reports it, so the subscriber knows to re-read.
type Subscription struct {
	C      <-chan Event
	c      chan Event
	missed atomic.Bool
	hub    *hub
	once   sync.Once
}

// Missed reports, and forgets, whether events were dropped since the last call because C was
// full: the subscriber's view may be stale and should be read again from the store.
func (sub *Subscription) Missed() bool { return sub.missed.Swap(false) }

// Close stops the subscription and closes C. It is safe to call more than once.
func (sub *Subscription) Close() {
	sub.once.Do(func() {
		sub.hub.mu.Lock()
		delete(sub.hub.subs, sub)
		sub.hub.mu.Unlock()
		close(sub.c)
	})
}

// hub fans events out to subscriptions. Its lock is taken under the store's (publishing
// happens inside store operations, so subscribers see events in commit order) and never the
// other way round.
type hub struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// Subscribe starts a subscription buffering up to buffer events (0 means 256).
func (s *Store) Subscribe(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = defaultBuffer
	}
	c := make(chan Event, buffer)
	sub := &Subscription{C: c, c: c, hub: &s.hub}
	s.hub.mu.Lock()
	if s.hub.subs == nil {
		s.hub.subs = map[*Subscription]struct{}{}
	}
	s.hub.subs[sub] = struct{}{}
	s.hub.mu.Unlock()
	return sub
}

// publish hands e to every subscription without blocking.
func (h *hub) publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		select {
		case sub.c <- e:
		default:
			sub.missed.Store(true)
		}
	}
}
