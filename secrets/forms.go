package secrets

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode/utf16"
)

// encodings are the forms a value takes on its way out: encoded by a script or an HTTP client
// (base64 at any offset, hex, percent-encoding), then escaped by the JSON and JUnit reporters
// after the redactor saw it last. A report holding "a\u0026b" or "a&amp;b" leaks "a&b" as
// surely as the plain text.
func encodings(v string) []string {
	var encoded []string
	encoded = append(encoded, base64Forms([]byte(v))...)
	encoded = append(encoded, hex.EncodeToString([]byte(v)), strings.ToUpper(hex.EncodeToString([]byte(v))))
	encoded = append(encoded, percentForms(v)...)
	encoded = append(encoded, jsEscape(v))
	// As console.log and expect's messages print a string (Node's quoting, in single quotes or
	// in others when the text holds one), and as a mail's source carries it (quoted-printable
	// bodies, RFC 2047 Q-encoded headers): all are escaped a character at a time, so the
	// value's form is a substring of the whole text's.
	encoded = append(encoded, nodeQuoted(v, true), nodeQuoted(v, false), quotedPrintable(v), qEncoding(v))

	// The escapes are applied to the plain value and to each encoded form: a script may log
	// JSON.stringify(btoa(s)), and the reporter escapes whatever it was given.
	seen := map[string]bool{v: true}
	var out []string
	add := func(f string) {
		if len(f) >= minLen && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, f := range append([]string{v}, encoded...) {
		for _, e := range escapes(f) {
			add(e)
		}
	}
	return out
}

// base64Forms covers a value encoded on its own and inside a longer text. Inside, the value
// starts at byte offset 0, 1 or 2 of a 3-byte group, and only the characters made of its own
// bits are stable: the first one or two and the last characters mix in the neighbours' bits,
// so each alignment's stable inner part is masked.
func base64Forms(b []byte) []string {
	var forms []string
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		forms = append(forms, enc.EncodeToString(b), enc.WithPadding(base64.NoPadding).EncodeToString(b))
		raw := enc.WithPadding(base64.NoPadding)
		for align := 0; align < 3; align++ {
			padded := append(make([]byte, align), b...)
			s := raw.EncodeToString(padded)
			first := (8*align + 5) / 6         // the first character with no bit of the padding
			last := (8 * (align + len(b))) / 6 // after the last character with no bit of what follows
			if last > first {
				forms = append(forms, s[first:last])
			}
		}
	}
	return forms
}

// percentForms are the percent-encodings of the value: Go's query and path escaping,
// JavaScript's encodeURIComponent and encodeURI, and the strict RFC 3986 form that encodes
// every reserved character, each with upper- and lower-case hex digits.
func percentForms(v string) []string {
	forms := []string{
		url.QueryEscape(v),
		url.PathEscape(v),
		percentEncode(v, "-_.!~*'()"),            // encodeURIComponent
		percentEncode(v, "-_.!~*'();/?:@&=+$,#"), // encodeURI
		percentEncode(v, "-_.~"),                 // RFC 3986: only the unreserved characters stay
	}
	for _, f := range forms[:len(forms):len(forms)] {
		forms = append(forms, lowerHex(f))
	}
	return forms
}

// percentEncode encodes the UTF-8 bytes of v except ASCII letters, digits and keep.
func percentEncode(v, keep string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// lowerHex turns the hex digits of each %XX escape to lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if b[j] >= 'A' && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
		}
	}
	return string(b)
}

// jsEscape is JavaScript's legacy escape(): letters, digits and @*_+-./ stay, other UTF-16
// units become %XX below 256 and %uXXXX above.
func jsEscape(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		switch {
		case u < 128 && (u >= 'a' && u <= 'z' || u >= 'A' && u <= 'Z' || u >= '0' && u <= '9' || strings.ContainsRune("@*_+-./", rune(u))):
			b.WriteByte(byte(u))
		case u < 256:
			fmt.Fprintf(&b, "%%%02X", u)
		default:
			fmt.Fprintf(&b, "%%u%04X", u)
		}
	}
	return b.String()
}

// nodeQuoted is s inside a string as Node's util.inspect (console.log, expect's messages)
// quotes it: a backslash doubled, control characters escaped, and the single quote escaped
// when single quotes delimit the string (escapeSingle) and left as is when other quotes do.
func nodeQuoted(s string, escapeSingle bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\'' && escapeSingle:
			b.WriteString(`\'`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20, r >= 0x7f && r < 0xa0:
			fmt.Fprintf(&b, `\x%02X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// quotedPrintable is s in a quoted-printable body (RFC 2045), without soft line breaks: a
// value that a break splits is not found whole (a line holds 76 characters).
func quotedPrintable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c >= '!' && c <= '~' && c != '=' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "=%02X", c)
	}
	return b.String()
}

// qEncoding is s inside an RFC 2047 "Q" encoded word, as mime.QEncoding writes it.
func qEncoding(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			b.WriteByte('_')
		case c >= '!' && c <= '~' && c != '=' && c != '?' && c != '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// escapes are s as the reporters and scripts escape it: up to three rounds of JSON string
// escaping (JSON.stringify in the script, then the JSON report), each with or without Go's
// HTML escaping, each optionally inside XML text or attributes (the JUnit report), and HTML.
func escapes(s string) []string {
	if !needsEscape(s) {
		// Most forms (base64, hex, a PEM key's lines) escape to themselves: skip the ~30
		// rounds that would each return s (they made a Google connect cost 30 ms of CPU).
		return []string{s}
	}
	out := []string{s, html.EscapeString(s)}
	round := []string{s}
	for range 3 {
		var next []string
		for _, prev := range round {
			next = append(next, jsonEscape(prev, false), jsonEscape(prev, true))
		}
		out = append(out, next...)
		round = next
	}
	for _, j := range out[2:] {
		out = append(out, xmlEscape(j, true), xmlEscape(j, false))
	}
	return append(out, xmlEscape(s, true), xmlEscape(s, false))
}

// needsEscape reports whether any of the escapes above changes s: a byte outside printable
// ASCII (JSON's control characters and U+2028/U+2029, XML's line breaks and tabs) or one of
// the characters that JSON, HTML or XML escape.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || strings.IndexByte(`"\&<>'`, c) >= 0 {
			return true
		}
	}
	return false
}

// jsonEscape is s inside a JSON string, without the quotes; escapeHTML as Go's encoder does by
// default (\u0026 for &).
func jsonEscape(s string, escapeHTML bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	if enc.Encode(s) != nil {
		return s
	}
	q := strings.TrimSuffix(b.String(), "\n")
	return q[1 : len(q)-1]
}

// xmlEscape is s as encoding/xml writes it: attributes and text escape line breaks
// (&#xA;), chardata fields keep them.
func xmlEscape(s string, newlines bool) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	if newlines {
		return b.String()
	}
	return xmlBreaks.Replace(b.String())
}

// xmlBreaks puts back the line breaks and tabs that encoding/xml escapes.
var xmlBreaks = strings.NewReplacer("&#xA;", "\n", "&#xD;", "\r", "&#x9;", "\t")
