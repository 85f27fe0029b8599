package mimedecode

import (
	"mime"
	"strings"
)

// Kind says what a leaf (non-multipart) MIME part is to a reader of the message.
type Kind int

// The kinds of leaf parts.
const (
	PlainBody  Kind = iota // text/plain shown as the message text
	HTMLBody               // text/html shown as the message html
	Attachment             // a file the sender attached
	Inline                 // a file shown inside the html (an image referenced by cid:)
)

// Header is what Describe reads of a part's header: a field's first value by
// case-insensitive name ("" when absent), as textproto.MIMEHeader.Get gives it.
type Header interface {
	Get(name string) string
}

// Leaf describes a non-multipart part from its header.
type Leaf struct {
	Kind      Kind
	MediaType string // lower-cased, like "text/plain"
	Charset   string // the charset parameter, "" when absent
	Name      string // file name (RFC 2231 and RFC 2047 decoded), "" when the part has none
	ContentID string // without the angle brackets
	Encoding  string // Content-Transfer-Encoding, lower-cased
}

// Describe classifies a leaf part by its header. inRelated says whether the part sits in a
// multipart/related after its first part, where parts are resources of the html (the first
// is the root document). A text part without a file name is a body unless it is declared an
// attachment; every other leaf is a file, inline when declared so, inside multipart/related,
// or referenced by a Content-ID.
func Describe(h Header, inRelated bool) Leaf {
	mediaType, params := MediaType(h.Get("Content-Type"))
	disposition, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	l := Leaf{
		MediaType: mediaType,
		Charset:   params["charset"],
		Name:      DecodeHeader(name),
		ContentID: strings.Trim(strings.TrimSpace(h.Get("Content-ID")), "<>"),
		Encoding:  strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))),
	}
	isText := mediaType == "text/plain" || mediaType == "text/html"
	switch {
	case disposition == "attachment":
		l.Kind = Attachment
	case isText && l.Name == "":
		l.Kind = PlainBody
		if mediaType == "text/html" {
			l.Kind = HTMLBody
		}
	case disposition == "inline" || inRelated || (l.ContentID != "" && !isText):
		l.Kind = Inline
	default:
		l.Kind = Attachment
	}
	return l
}

// Text turns a body part's transfer-decoded content into UTF-8 text (see Charset) with "\n"
// line ends, so that scripts compare against the text they wrote whatever the wire used.
func (l Leaf) Text(content []byte) string {
	return strings.ReplaceAll(Charset(l.Charset, content), "\r\n", "\n")
}

// MaxDepth bounds how deep multipart parts nest. Postfix refuses MIME nested deeper than 100
// levels (mime_nesting_limit), so no delivered message is deeper; the walks recurse once per
// level, and a hostile message must not exhaust the stack or memory.
const MaxDepth = 100
