package providers

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Address is one mailbox address with its display name.
type Address struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// Summary is what list returns for each message: only what a service can send cheaply.
type Summary struct {
	ID             string    `json:"id"`
	Subject        string    `json:"subject"`
	From           Address   `json:"from"`
	To             []Address `json:"to"`
	ReceivedAt     time.Time `json:"receivedAt"`
	IsRead         bool      `json:"isRead"`
	HasAttachments bool      `json:"hasAttachments"`
	Preview        string    `json:"preview"`
	Folder         string    `json:"folder"`
	// Recipients are the addresses the message was sent or delivered to, which {to: address}
	// matches exactly: To and Cc, and Gmail's Delivered-To (which also names a Bcc'd address).
	// Nil means To only.
	Recipients []string `json:"-"`
}

// Message is a whole message as read returns it.
type Message struct {
	Summary
	Cc          []Address           `json:"cc"`
	Bcc         []Address           `json:"bcc"`
	ReplyTo     []Address           `json:"replyTo"`
	MessageID   string              `json:"messageId"`
	Text        string              `json:"text"`
	HTML        string              `json:"html"`
	Headers     map[string][]string `json:"headers"` // lower-cased names
	Attachments []Attachment        `json:"attachments"`
	Links       []string            `json:"links"`
	Raw         []byte              `json:"-"` // RFC 5322 bytes, only with ReadOptions.Raw
}

// Attachment describes one attachment; its content is fetched only when asked for.
type Attachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Inline      bool   `json:"inline"`
	ContentID   string `json:"contentId,omitempty"`
	// Content returns the attachment's bytes. Providers that already hold the bytes return
	// them; others fetch them on first call.
	Content func(ctx context.Context) ([]byte, error) `json:"-"`
}

// Matcher is a string criterion: a case-insensitive substring or a regular expression.
// The zero Matcher matches everything.
type Matcher struct {
	Contains string
	Regexp   *regexp.Regexp
}

// IsZero reports whether the matcher places no constraint.
func (m Matcher) IsZero() bool { return m.Contains == "" && m.Regexp == nil }

// Match reports whether s satisfies the matcher.
func (m Matcher) Match(s string) bool {
	switch {
	case m.Regexp != nil:
		return m.Regexp.MatchString(s)
	case m.Contains != "":
		return strings.Contains(strings.ToLower(s), strings.ToLower(m.Contains))
	}
	return true
}

// Literal returns the text a server-side search can narrow by: the substring itself, or the
// longest literal prefix of a case-insensitive-safe regexp. Empty means "nothing to narrow by".
func (m Matcher) Literal() string {
	if m.Regexp != nil {
		prefix, _ := m.Regexp.LiteralPrefix()
		return prefix
	}
	return m.Contains
}

// Address returns the whole e-mail address the matcher stands for, when it is a plain string
// that is one (not a regexp, not a fragment): such a `to` matches one recipient exactly.
func (m Matcher) Address() (string, bool) {
	a := strings.TrimSpace(m.Contains)
	if m.Regexp != nil || !IsAddress(a) {
		return "", false
	}
	return a, true
}

// IsAddress reports whether s looks like one bare e-mail address (local@domain.tld), the only
// literal the services' address searches are sure to match.
func IsAddress(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Count(s, "@") == 1 && strings.Contains(s[at:len(s)-1], ".") &&
		!strings.ContainsAny(s, " \t\r\n<>,;:\"()[]\\")
}

// Criteria selects messages for list and waitFor.
type Criteria struct {
	Folder         string // well-known name ("inbox", "sent", "drafts", "trash", "archive", "junk") or a folder/label name; "" means inbox
	From           Matcher
	To             Matcher
	Subject        Matcher
	Body           Matcher
	Unread         *bool
	HasAttachments *bool
	Since          time.Time // received at or after
	Before         time.Time // received strictly before
	Limit          int       // 0 means DefaultLimit
	Query          string    // provider-native search passed through untouched
}

// DefaultLimit is how many summaries list returns when Criteria.Limit is zero.
const DefaultLimit = 50

// ReadOptions tunes read.
type ReadOptions struct {
	Raw bool // also fetch the RFC 5322 source into Message.Raw
}

// Draft is a message to send.
type Draft struct {
	From        *Address // nil: the mailbox itself
	To          []Address
	Cc          []Address
	Bcc         []Address
	ReplyTo     []Address
	Subject     string
	Text        string
	HTML        string
	Attachments []DraftAttachment
	Headers     map[string]string
	// MessageID is set by the caller before Send (see NewMessageID) so that a send whose
	// outcome is unknown can be looked up instead of repeated.
	MessageID string
}

// DraftAttachment is one attachment of a draft.
type DraftAttachment struct {
	Name        string
	ContentType string
	Content     []byte
	Inline      bool
	ContentID   string
}

// SendResult is what send resolves with.
type SendResult struct {
	MessageID string `json:"messageId"`
}

// WaitOptions tunes waitFor.
type WaitOptions struct {
	Timeout  time.Duration
	Interval time.Duration
}

// Defaults of waitFor, the same for every provider and in the JS API.
const (
	DefaultWaitTimeout  = 60 * time.Second
	DefaultWaitInterval = 2 * time.Second
)

// EarlierMailHint ends a waitFor timeout without a since criterion: the usual mistake is to
// send, or trigger the application, and only then call waitFor, whose default counts only
// mail that arrives after the call.
const EarlierMailHint = "without since, mail that arrived before waitFor was called does not count; take a Date before the action and pass it as since"

// WithDefaults gives a zero or negative Timeout and Interval their defaults.
func (o WaitOptions) WithDefaults() WaitOptions {
	if o.Timeout <= 0 {
		o.Timeout = DefaultWaitTimeout
	}
	if o.Interval <= 0 {
		o.Interval = DefaultWaitInterval
	}
	return o
}

// DeleteOptions tunes delete.
type DeleteOptions struct {
	Permanent bool
}

// Folder is one mail folder (Graph) or label (Gmail).
type Folder struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	WellKnown string `json:"wellKnown,omitempty"` // inbox, sent, drafts, trash, archive, junk
	Total     int    `json:"total"`
	Unread    int    `json:"unread"`
}

// Mailbox is one connected mailbox. Every method may block on the network and honours ctx.
// Implementations must be safe for concurrent use: scripts issue calls in parallel.
type Mailbox interface {
	// Address is the mailbox's own e-mail address as configured, without a network call; ""
	// when the mailbox was named by an id rather than an address.
	Address() string
	List(ctx context.Context, c Criteria) ([]Summary, error)
	Read(ctx context.Context, id string, o ReadOptions) (*Message, error)
	Send(ctx context.Context, d Draft) (SendResult, error)
	WaitFor(ctx context.Context, c Criteria, o WaitOptions) (*Message, error)
	// Delete returns the message's id in the deleted items (Graph re-keys it as for a move),
	// or "" when it was deleted for good.
	Delete(ctx context.Context, id string, o DeleteOptions) (string, error)
	// Move returns the message's id in its new folder (Graph gives moved messages new ids).
	Move(ctx context.Context, id, folder string) (string, error)
	MarkRead(ctx context.Context, id string, read bool) error
	Folders(ctx context.Context) ([]Folder, error)
	// Close releases the mailbox's connections when the VM that connected it ends. Calls still
	// running finish first (their connections close as each one ends); the run's shared token
	// cache, slots and quotas are not the mailbox's and stay.
	Close() error
}
