package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Errors returned by the store; test with errors.Is. The wrapped message names what was missing.
var (
	// ErrNotFound reports an unknown mailbox, folder, message, attachment or identity.
	ErrNotFound = errors.New("not found")
	// ErrInvalid reports an argument the store cannot accept (bad MIME, duplicate address, ...).
	ErrInvalid = errors.New("invalid argument")
	// ErrHistoryExpired reports a history id older than the retained change log.
	ErrHistoryExpired = errors.New("history id expired")
)

// Options configure a Store. The zero value is usable.
type Options struct {
	// IDSeed makes generated ids deterministic: the same seed and the same operations give the
	// same ids. Empty means a seed derived from the start time.
	IDSeed string
	// Now is the clock (receivedAt, internalDate, token expiry). Nil means time.Now.
	Now func() time.Time
	// HistoryLimit caps each mailbox's change log; older records are dropped and asking for
	// them gives ErrHistoryExpired. Zero means 100000.
	HistoryLimit int
}

// Store is the one in-memory mail store behind every emulator face. It is safe for concurrent
// use. Values it returns are snapshots: slices inside them are shared and must not be modified.
type Store struct {
	mu      sync.RWMutex
	ids     idGen
	now     func() time.Time
	histCap int

	mailboxes map[string]*mailbox // by id
	byAddress map[string]*mailbox // by lower-cased address
	sink      []SinkMessage
	sinkSeq   int

	tenants  map[string]*Tenant // by id
	apps     map[string]*App    // by client id
	gdomains map[string]*GoogleDomain
	accounts map[string]*ServiceAccount // by client email

	tokens tokenTable
	hub    hub // change notifications (Subscribe)
}

// New returns an empty store.
func New(opts Options) *Store {
	s := &Store{now: opts.Now, histCap: opts.HistoryLimit}
	if s.now == nil {
		s.now = time.Now
	}
	if s.histCap <= 0 {
		s.histCap = 100000
	}
	s.ids.seed = opts.IDSeed
	if s.ids.seed == "" {
		s.ids.seed = time.Now().String()
	}
	s.resetLocked()
	return s
}

// Now returns the store's clock reading, so faces stamp times the same way the store does.
func (s *Store) Now() time.Time { return s.now() }

// Reset forgets everything: mailboxes, messages, sink, identities and tokens. The id sequence
// restarts, so re-applying the same seed yields the same ids.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
	s.hub.publish(Event{Kind: StoreReset})
}

func (s *Store) resetLocked() {
	s.ids.n = 0
	s.mailboxes = map[string]*mailbox{}
	s.byAddress = map[string]*mailbox{}
	s.sink, s.sinkSeq = nil, 0
	s.tenants = map[string]*Tenant{}
	s.apps = map[string]*App{}
	s.gdomains = map[string]*GoogleDomain{}
	s.accounts = map[string]*ServiceAccount{}
	s.tokens = tokenTable{byValue: map[string]Token{}}
}

// Kind says which service a mailbox or identity belongs to; it decides the shape of ids.
type Kind string

// The two services the emulator speaks.
const (
	Microsoft Kind = "microsoft"
	Google    Kind = "google"
)

// Mailbox is one emulated user's mailbox.
type Mailbox struct {
	ID          string // GUID; Graph accepts it in place of the address
	Address     string // primary SMTP address / UPN
	DisplayName string
	Kind        Kind
	// TenantID is the Entra tenant (Microsoft) and Domain the Workspace domain (Google).
	TenantID string
	Domain   string
}

type mailbox struct {
	Mailbox
	folders  []*Folder
	messages map[string]*Message
	threads  map[string]string // Message-ID header -> thread id
	history  []HistoryRecord
	histID   uint64 // current history id
	histMin  uint64 // history ids below this are no longer retained
	labelSeq int
}

// AddMailbox registers a mailbox and creates its well-known folders. ID is generated when
// empty; Address must be unique (case-insensitive).
func (s *Store) AddMailbox(m Mailbox) (Mailbox, error) {
	if m.Address == "" || !strings.Contains(m.Address, "@") {
		return Mailbox{}, fmt.Errorf("%w: mailbox address %q must be an e-mail address", ErrInvalid, m.Address)
	}
	if m.Kind != Microsoft && m.Kind != Google {
		return Mailbox{}, fmt.Errorf("%w: mailbox %s: kind must be %q or %q", ErrInvalid, m.Address, Microsoft, Google)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(m.Address)
	if _, dup := s.byAddress[key]; dup {
		return Mailbox{}, fmt.Errorf("%w: mailbox %s already exists", ErrInvalid, m.Address)
	}
	if m.ID == "" {
		m.ID = s.ids.guid()
	}
	if m.Domain == "" {
		m.Domain = key[strings.LastIndex(key, "@")+1:]
	}
	mb := &mailbox{Mailbox: m, messages: map[string]*Message{}, threads: map[string]string{}, histID: 1000 + uint64(len(s.mailboxes))*7}
	mb.histMin = mb.histID
	for _, wk := range WellKnownFolders {
		mb.folders = append(mb.folders, &Folder{ID: s.folderID(mb, wk), Name: folderName(m.Kind, wk), WellKnown: wk})
	}
	s.mailboxes[m.ID] = mb
	s.byAddress[key] = mb
	s.hub.publish(Event{Kind: MailboxAdded, MailboxID: m.ID})
	return m, nil
}

// Mailbox finds a mailbox by id or address (case-insensitive).
func (s *Store) Mailbox(ref string) (Mailbox, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb, err := s.mailboxLocked(ref)
	if err != nil {
		return Mailbox{}, false
	}
	return mb.Mailbox, true
}

// Mailboxes lists every mailbox, in no particular order.
func (s *Store) Mailboxes() []Mailbox {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Mailbox, 0, len(s.mailboxes))
	for _, mb := range s.mailboxes {
		out = append(out, mb.Mailbox)
	}
	return out
}

// withMessage runs change under the store's lock with the message's mailbox and current
// snapshot; change builds and commits the new snapshot, which withMessage returns.
func (s *Store) withMessage(mailboxRef, id string, change func(mb *mailbox, old *Message) (*Message, error)) (*Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	mb, err := s.mailboxLocked(mailboxRef)
	if err != nil {
		return nil, err
	}
	old, err := mb.message(id)
	if err != nil {
		return nil, err
	}
	return change(mb, old)
}

func (s *Store) mailboxLocked(ref string) (*mailbox, error) {
	if mb, ok := s.mailboxes[ref]; ok {
		return mb, nil
	}
	if mb, ok := s.byAddress[strings.ToLower(ref)]; ok {
		return mb, nil
	}
	return nil, fmt.Errorf("%w: mailbox %q", ErrNotFound, ref)
}
