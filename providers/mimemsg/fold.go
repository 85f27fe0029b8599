package mimemsg

import (
	"encoding/base64"
	"mime"
	"net/mail"
	"strings"

	"github.com/mailscript/mailscript/providers"
)

// RFC 5322 limits a header line to 998 characters and recommends 78; a long line is folded by
// breaking it before a space, which readers remove again (unfolding). Folding only at a single
// space between two words keeps that exact: textproto, like most readers, turns the break and
// the whitespace around it into one space. A word longer than a line (a subject without
// spaces) cannot be folded, so such a value is sent as RFC 2047 encoded-words, which may be
// broken anywhere and are joined back without spaces.
const (
	lineWidth = 78
	maxLine   = 998
)

// headerField renders "Name: value" folded; value is the header's text as given by the user.
func headerField(name, value string) string {
	if enc := encodeWord(value); fits(name, enc) {
		return fold(name, enc)
	}
	return fold(name, forceWords(value))
}

// addressField renders an address list with one address, or a word of a long one, per line
// when they do not fit on one.
func addressField(name string, list []providers.Address) string {
	parts := make([]string, len(list))
	for i, a := range list {
		// mail.Address.String quotes names and RFC 2047-encodes non-ASCII ones.
		s := (&mail.Address{Name: a.Name, Address: a.Address}).String()
		if !fits(name, s) {
			s = forceWords(a.Name) + " <" + a.Address + ">"
		}
		parts[i] = s
	}
	return fold(name, strings.Join(parts, ", "))
}

// fits tells whether every word of value fits a line after the header's name.
func fits(name, value string) bool {
	for _, w := range strings.Split(value, " ") {
		if len(name)+2+len(w) > maxLine {
			return false
		}
	}
	return true
}

// fold breaks "name: value" into lines of at most lineWidth where there is a single space to
// break at, without breaking words; a long first word starts on a line of its own.
func fold(name, value string) string {
	// Segments run from one break point to the next: a word preceded by a single space
	// starts one, any other word belongs to the segment before.
	var segs []string
	words := strings.Split(value, " ")
	for i, w := range words {
		if i == 0 || w != "" && words[i-1] != "" {
			segs = append(segs, w)
		} else {
			segs[len(segs)-1] += " " + w
		}
	}
	var b strings.Builder
	b.WriteString(name + ":")
	col := b.Len()
	for _, seg := range segs {
		if col+1+len(seg) > lineWidth && !strings.HasPrefix(seg, " ") && seg != "" {
			b.WriteString("\r\n")
			col = 0
		}
		b.WriteString(" " + seg)
		col += 1 + len(seg)
	}
	return b.String()
}

// encodeWord RFC 2047-encodes non-ASCII text, in as many encoded-words of at most 75
// characters as it takes, separated by spaces: Q keeps mostly-Latin text readable, B is
// shorter for scripts where most bytes are non-ASCII. ASCII text is returned as it is.
func encodeWord(s string) string {
	nonASCII := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			nonASCII++
		}
	}
	if nonASCII*3 > len(s) {
		return mime.BEncoding.Encode("utf-8", s)
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// forceWords encodes s as B encoded-words even when it is ASCII, which the mime package
// leaves as it is: 45 bytes make 60 base64 characters, a 72-character word. Chunks end on
// UTF-8 character boundaries, as RFC 2047 requires of each word.
func forceWords(s string) string {
	var words []string
	for len(s) > 0 {
		n := min(45, len(s))
		for n < len(s) && n > 0 && s[n]&0xC0 == 0x80 {
			n-- // a continuation byte: end the chunk before its character
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// EncodedSize estimates the size of d as Build renders it, without rendering it: bodies as
// written (quoted-printable adds little to text), attachments base64-encoded in 76-character
// lines, and a few hundred bytes of headers per part. The services count their message
// limits on this encoded form.
func EncodedSize(d providers.Draft) int64 {
	const perPart = 300
	n := int64(len(d.Subject) + len(d.Text) + len(d.HTML) + 2*perPart)
	for _, list := range [][]providers.Address{d.To, d.Cc, d.Bcc, d.ReplyTo} {
		for _, a := range list {
			n += int64(len(a.Name) + len(a.Address) + 4)
		}
	}
	for k, v := range d.Headers {
		n += int64(len(k) + len(v) + 4)
	}
	for _, a := range d.Attachments {
		b64 := int64(base64.StdEncoding.EncodedLen(len(a.Content)))
		n += b64 + b64/76*2 + perPart + int64(2*len(a.Name))
	}
	return n
}
