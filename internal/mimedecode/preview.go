package mimedecode

import (
	"strings"

	"github.com/mailscript/mailscript/internal/htmltext"
)

// PreviewLen is the length of Graph's bodyPreview, which Gmail's snippet comes close to, so
// both providers and both emulator faces show the same amount.
const PreviewLen = 255

// Preview returns the first PreviewLen characters of the text (or, when it is blank, of the
// html's visible text), white space collapsed, reading no further than needed: bodies can be
// megabytes long.
func Preview(text, htmlBody string) string {
	src := text
	if strings.TrimSpace(src) == "" {
		src = htmltext.Visible(htmlBody)
	}
	var b strings.Builder
	n := 0
	for w := range strings.FieldsSeq(src) {
		if n > 0 {
			b.WriteByte(' ')
			n++
		}
		for _, r := range w {
			if n >= PreviewLen {
				break
			}
			b.WriteRune(r)
			n++
		}
		if n >= PreviewLen {
			break
		}
	}
	return b.String()
}
