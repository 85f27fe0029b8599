package mimemsg

import (
	"mime"
	"net/textproto"
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

// Leaf describes a non-multipart part from its header.
type Leaf struct {
	Kind      Kind
	MediaType string // lower-cased, like "text/plain"
	Charset   string // the charset parameter, "" when absent
	Name      string // file name (RFC 2231 and RFC 2047 decoded), "" for body parts
	ContentID string // without the angle brackets
	Encoding  string // Content-Transfer-Encoding, lower-cased
}

// Describe classifies a leaf part by its header. inRelated says whether the part sits in a
// multipart/related, where parts after the root are resources of the html.
func Describe(h textproto.MIMEHeader, inRelated bool) Leaf {
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
	if l.Kind >= Attachment && l.Name == "" {
		l.Name = defaultName(mediaType)
	}
	return l
}

// Text turns a body part's transfer-decoded content into UTF-8 text with "\n" line ends, so
// that scripts compare against the text they wrote whatever the wire used.
func (l Leaf) Text(content []byte) string {
	return strings.ReplaceAll(DecodeCharset(l.Charset, content), "\r\n", "\n")
}

// MediaType parses a Content-Type value, defaulting to text/plain as RFC 2045 says; a value
// with broken parameters keeps its media type.
func MediaType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "text/plain", map[string]string{}
	}
	mediaType, params, err := mime.ParseMediaType(v)
	if err != nil {
		mediaType, _, _ = strings.Cut(v, ";")
		mediaType = strings.ToLower(strings.TrimSpace(mediaType))
		params = map[string]string{}
	}
	return mediaType, params
}

// defaultName names an attachment that came without one, so that att.save has something to use.
func defaultName(mediaType string) string {
	if mediaType == "message/rfc822" {
		return "message.eml"
	}
	return "attachment"
}
