package mailview

import "time"

// Address is one mailbox with its display name.
type Address struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"`
}

// Header is one header field, in the order the message carries them.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Message is an e-mail as a person sees it in a mail client.
type Message struct {
	ID          string    `json:"id"`
	Subject     string    `json:"subject"`
	From        Address   `json:"from"`
	To          []Address `json:"to,omitempty"`
	Cc          []Address `json:"cc,omitempty"`
	Bcc         []Address `json:"bcc,omitempty"`
	ReplyTo     []Address `json:"replyTo,omitempty"`
	Date        time.Time `json:"date"`
	Folder      string    `json:"folder,omitempty"`
	IsRead      bool      `json:"isRead"`
	Headers     []Header  `json:"headers,omitempty"`
	Text        string    `json:"text,omitempty"`
	HTML        string    `json:"html,omitempty"`
	Links       []string  `json:"links,omitempty"`
	Attachments []Part    `json:"attachments,omitempty"`
	// RawURL is where the RFC 5322 source can be loaded on demand (a viewer route, or a file
	// beside the report); empty when the source is not available.
	RawURL string `json:"rawUrl,omitempty"`
	// Raw is the RFC 5322 source when the one who built the Message holds it (a read with
	// format 'raw'); never serialized: a report writes it to a file beside itself and sets RawURL.
	Raw []byte `json:"-"`
}

// Part is an attachment or an inline (cid:) part.
type Part struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	ContentID   string `json:"contentId,omitempty"` // without angle brackets
	Inline      bool   `json:"inline"`
	// URL is where the bytes are: a data: URL (small parts embedded in a report), a path
	// relative to the report (parts over the embedding limit), or a viewer route. Empty when
	// the bytes were not available (the test never fetched them and the provider did not send them).
	URL string `json:"url,omitempty"`
	// Script, in a report, is a script beside it that hands MailView.provide this part as a
	// data: URL: set for a part the HTML body shows by cid: that is over the embedding limit,
	// because the sandboxed body (an opaque origin) may not load a file from disk.
	Script string `json:"script,omitempty"`
}
