package mimedecode

import (
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// wordDecoder decodes RFC 2047 encoded-words in any charset the WHATWG index knows, which is
// what mail clients actually emit (ISO-8859-x, windows-125x, Shift_JIS, GB2312, KOI8-R...).
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
	return enc.NewDecoder().Reader(input), nil
}}

// DecodeHeader decodes the RFC 2047 encoded-words in a header value. A value that cannot be
// decoded (unknown charset, broken encoding) is returned as it came, as mail clients show it,
// so that nothing is lost. Raw 8-bit text follows Charset's rule for undeclared text (UTF-8
// where valid, windows-1252 for the other bytes), and an encoded-word that declares UTF-8 but
// is not gives U+FFFD, as Thunderbird shows it: the result is always valid UTF-8.
func DecodeHeader(v string) string {
	v = undeclared(v)
	s, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// undeclared reads a header value's raw 8-bit text (RFC 6532 allows UTF-8) by Charset's rule.
func undeclared(v string) string {
	if utf8.ValidString(v) {
		return v
	}
	return Charset("", []byte(v))
}

// Address is one mailbox of an address header, its display name decoded.
type Address struct {
	Name    string
	Address string
}

// AddressList parses an address header value (RFC 2047 names decoded, by DecodeHeader's rules
// for 8-bit text). An entry the parser rejects is kept with its decoded raw text as the
// address, so that a reader still sees it.
func AddressList(v string) []Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	v = undeclared(v)
	parser := mail.AddressParser{WordDecoder: wordDecoder}
	if list, err := parser.ParseList(v); err == nil {
		out := make([]Address, len(list))
		for i, a := range list {
			out[i] = Address{Name: strings.ToValidUTF8(a.Name, "\uFFFD"), Address: a.Address}
		}
		return out
	}
	var out []Address
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if a, err := parser.Parse(item); err == nil {
			out = append(out, Address{Name: strings.ToValidUTF8(a.Name, "\uFFFD"), Address: a.Address})
		} else {
			out = append(out, Address{Address: DecodeHeader(item)})
		}
	}
	return out
}

// MediaType parses a Content-Type value, defaulting to text/plain as RFC 2045 says; a value
// with broken parameters keeps its (lower-cased) media type and loses only the parameters.
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
	if mediaType == "" {
		mediaType = "text/plain"
	}
	return mediaType, params
}
