package mimemsg

import (
	"fmt"
	"mime"
	"slices"
	"strings"
)

// mediaTypeField formats a Content-Type or Content-Disposition value whose line stays within
// the RFC 5322 limit however long its parameters are. A parameter that would not fit on a
// line of its own (a long file name) is split into RFC 2231 continuations, percent-encoded
// UTF-8 pieces (name*0*=utf-8”..., name*1*=...), each on a folded line; mime.ParseMediaType,
// like mail clients, joins them again. multipart.Writer writes the value as it is, folds
// included.
func mediaTypeField(name, mediaType string, params map[string]string) string {
	whole := mime.FormatMediaType(mediaType, params)
	if len(name)+2+len(whole) <= lineWidth {
		return whole
	}
	var b strings.Builder
	b.WriteString(mediaType)
	for _, k := range sortedKeys(params) {
		p := mime.FormatMediaType("x", map[string]string{k: params[k]})[len("x; "):]
		if len(p)+2 <= lineWidth {
			b.WriteString(";\r\n " + p)
			continue
		}
		for i, piece := range continuations(params[k], lineWidth-len(k)-16) {
			if i == 0 {
				piece = "utf-8''" + piece
			}
			fmt.Fprintf(&b, ";\r\n %s*%d*=%s", k, i, piece)
		}
	}
	return b.String()
}

// continuations percent-encodes s (RFC 2231 attribute-chars stay as they are) in pieces of at
// most width characters, never splitting an escape.
func continuations(s string, width int) []string {
	var pieces []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		tok := string(c)
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`*'%()<>@,;:\"/[]?=`, c) >= 0 {
			tok = fmt.Sprintf("%%%02X", c)
		}
		if cur.Len()+len(tok) > width {
			pieces = append(pieces, cur.String())
			cur.Reset()
		}
		cur.WriteString(tok)
	}
	return append(pieces, cur.String())
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
