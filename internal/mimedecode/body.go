package mimedecode

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// Transfer undoes a Content-Transfer-Encoding (base64, quoted-printable; anything else is
// identity and returns body itself, not a copy). A broken encoding keeps what decoded before
// the fault, as mail clients show a truncated part rather than none.
func Transfer(encoding string, body []byte) []byte {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		// The decoder skips CR and LF but not other white space, which some mailers add.
		if bytes.ContainsAny(body, " \t") {
			body = bytes.Map(func(r rune) rune {
				if r == ' ' || r == '\t' {
					return -1
				}
				return r
			}, body)
		}
		r = base64.NewDecoder(base64.StdEncoding, bytes.NewReader(body))
	case "quoted-printable":
		r = quotedprintable.NewReader(bytes.NewReader(body))
	default:
		return body
	}
	out, _ := io.ReadAll(r)
	return out
}

// Charset converts text in charset to UTF-8. Unknown charsets and invalid bytes never fail:
// mail in the wild mislabels its charset, and a reader must still see the text.
//
// The rule for 8-bit text that declares no charset, US-ASCII (RFC 2045's default, so in
// practice "nothing declared") or UTF-8 but is not valid UTF-8: UTF-8 sequences stay, and each
// byte that is not part of one is read as windows-1252. windows-1252 is the fallback encoding
// mail clients and browsers use for legacy content that does not declare its encoding
// (Thunderbird's "Fallback Text Encoding", Firefox and the WHATWG encoding standard in Western
// locales), and windows-1252 bytes under a UTF-8 label are the usual mislabel; every byte maps
// to a character, where U+FFFD would drop the letters. Reading byte by byte keeps the UTF-8
// that modern mailers write undeclared, also beside a stray legacy byte.
//
// The result shares b's memory when b is valid UTF-8 already (message bytes are never modified
// after parsing, and bodies can be megabytes): the caller must not modify b afterwards.
func Charset(charset string, b []byte) string {
	charset = strings.ToLower(strings.TrimSpace(charset))
	switch charset {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		if !utf8.Valid(b) {
			return fallback(b)
		}
		if len(b) == 0 {
			return ""
		}
		return unsafe.String(&b[0], len(b))
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// fallback keeps b's UTF-8 sequences and reads every other byte as windows-1252.
func fallback(b []byte) string {
	var out strings.Builder
	out.Grow(len(b) + len(b)/4)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			r = charmap.Windows1252.DecodeByte(b[0])
		}
		out.WriteRune(r)
		b = b[size:]
	}
	return out.String()
}
