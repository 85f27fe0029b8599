package store

import "time"

// Address is a display name and an e-mail address.
type Address struct {
	Name    string
	Address string
}

// Header is one header field as it appears in the message (value unfolded, not decoded).
type Header struct {
	Name  string
	Value string
}

// Part is a node of a message's MIME tree. PartIDs follow Gmail: the root is "", its children
// "0", "1", ..., grandchildren "1.0", ... Data holds the decoded body of leaves (transfer
// encoding removed, charset untouched).
type Part struct {
	PartID       string
	MimeType     string // lower-case media type, e.g. "text/plain"
	Filename     string
	Headers      []Header
	Data         []byte
	AttachmentID string // set when the part is one of the message's Attachments
	Parts        []*Part
}

// Attachment is a file carried by a message (a part with a filename, a Content-Disposition of
// attachment, or an inline non-text part with a Content-ID).
type Attachment struct {
	ID          string // Graph-style for Microsoft mailboxes, Gmail-style for Google ones
	PartID      string
	Name        string
	ContentType string
	ContentID   string // without angle brackets
	Inline      bool
	Data        []byte
}

// Message is a snapshot of one message in one mailbox. The RFC 5322 bytes (Raw) are the truth;
// the parsed fields are derived from them, the state fields (folder, labels, read, flags) are
// kept beside them.
type Message struct {
	ID        string // Graph-style for Microsoft mailboxes, 16-hex for Google ones
	MailboxID string
	FolderID  string
	// Labels are extra folder ids (Gmail user labels) besides FolderID.
	Labels     []string
	IsRead     bool
	Flagged    bool
	Importance string // "low", "normal" or "high"
	Categories []string

	ReceivedAt   time.Time // when it reached this mailbox
	InternalDate time.Time // Gmail's internalDate: ReceivedAt, or the Date header for imports
	SentAt       time.Time // the Date header, zero if absent
	ThreadID     string    // Gmail threadId / Graph conversationId
	HistoryID    uint64    // history id of the last change to this message
	ChangeKey    string    // Graph changeKey; changes with every update
	CreatedAt    time.Time
	ModifiedAt   time.Time

	Raw        []byte
	Headers    []Header
	MessageID  string // the Message-ID header, angle brackets included
	InReplyTo  string
	References string
	Subject    string // RFC 2047 decoded
	From       Address
	Sender     Address
	To         []Address
	Cc         []Address
	Bcc        []Address
	ReplyTo    []Address
	Text       string // first text/plain body, decoded to UTF-8
	HTML       string // first text/html body, decoded to UTF-8
	// Preview is the first 255 characters of the text (or of the HTML's text), whitespace folded.
	Preview     string
	Attachments []Attachment
	Root        *Part
}

// Header returns the first value of the named header (case-insensitive), undecoded.
func (m *Message) Header(name string) string {
	for _, h := range m.Headers {
		if equalFoldASCII(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// HasAttachments reports whether the message has a non-inline attachment, as Graph's
// hasAttachments does.
func (m *Message) HasAttachments() bool {
	for _, a := range m.Attachments {
		if !a.Inline {
			return true
		}
	}
	return false
}

// InFolder reports whether the message is in the folder or carries it as a label.
func (m *Message) InFolder(folderID string) bool {
	if m.FolderID == folderID {
		return true
	}
	for _, l := range m.Labels {
		if l == folderID {
			return true
		}
	}
	return false
}

// Pseudo label keys used in history records beside folder ids.
const (
	LabelUnread  = "UNREAD"
	LabelFlagged = "STARRED"
)

// LabelKeys returns the message's folder id, its labels, and LabelUnread / LabelFlagged when
// they apply: the vocabulary of HistoryRecord.Labels.
func (m *Message) LabelKeys() []string {
	keys := append([]string{m.FolderID}, m.Labels...)
	if !m.IsRead {
		keys = append(keys, LabelUnread)
	}
	if m.Flagged {
		keys = append(keys, LabelFlagged)
	}
	return keys
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
