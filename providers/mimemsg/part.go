package mimemsg

import "github.com/mailscript/mailscript/internal/mimedecode"

// Kind and Leaf are mimedecode's, the classification the emulator's store shares, named here
// for the providers that walk a service's own MIME tree (Gmail's format=full).
type (
	Kind = mimedecode.Kind
	Leaf = mimedecode.Leaf
)

// The kinds of leaf parts.
const (
	PlainBody  = mimedecode.PlainBody
	HTMLBody   = mimedecode.HTMLBody
	Attachment = mimedecode.Attachment
	Inline     = mimedecode.Inline
)

// Describe classifies a leaf part by its header (see mimedecode.Describe) and names a file
// that came without a name, so that att.save has something to use.
func Describe(h mimedecode.Header, inRelated bool) Leaf {
	l := mimedecode.Describe(h, inRelated)
	if l.Kind >= Attachment && l.Name == "" {
		l.Name = defaultName(l.MediaType)
	}
	return l
}

func defaultName(mediaType string) string {
	if mediaType == "message/rfc822" {
		return "message.eml"
	}
	return "attachment"
}
