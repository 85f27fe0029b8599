package mimemsg

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/mailscript/mailscript/providers"
)

// wordDecoder decodes RFC 2047 encoded-words in any charset the WHATWG index knows, which is
// what mail clients actually emit (ISO-8859-x, windows-125x, Shift_JIS, GB2312, KOI8-R...).
var wordDecoder = &mime.WordDecoder{CharsetReader: charsetReader}

func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q", charset)
	}
	return enc.NewDecoder().Reader(input), nil
}

// DecodeHeader decodes the RFC 2047 encoded-words in a header value. A value that cannot be
// decoded (unknown charset, broken encoding) is returned as it came, so that nothing is lost.
func DecodeHeader(v string) string {
	s, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	return s
}

// DecodeCharset converts text in charset to UTF-8. Unknown charsets and invalid bytes never
// fail: mail in the wild mislabels its charset, and a test must still see the text.
// UTF-8 text that is not valid UTF-8 is taken as windows-1252, the usual culprit.
func DecodeCharset(charset string, b []byte) string {
	charset = strings.ToLower(strings.TrimSpace(charset))
	switch charset {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		if utf8.Valid(b) {
			return string(b)
		}
		charset = "windows-1252"
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

// DecodeTransfer undoes a Content-Transfer-Encoding (base64, quoted-printable; anything else is
// identity). Broken encodings keep what decoded before the fault.
func DecodeTransfer(encoding string, body []byte) []byte {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		// The decoder skips CR and LF but not other whitespace, which some mailers add.
		clean := bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, body)
		r = base64.NewDecoder(base64.StdEncoding, bytes.NewReader(clean))
	case "quoted-printable":
		r = quotedprintable.NewReader(bytes.NewReader(body))
	default:
		return body
	}
	out, _ := io.ReadAll(r)
	return out
}

// ParseAddressList parses an address header value (RFC 2047 names decoded). An entry the
// parser rejects is kept with its raw text as the address, so that a test can still see it.
func ParseAddressList(v string) []providers.Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	parser := mail.AddressParser{WordDecoder: wordDecoder}
	if list, err := parser.ParseList(v); err == nil {
		return toAddresses(list)
	}
	var out []providers.Address
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if a, err := parser.Parse(item); err == nil {
			out = append(out, providers.Address{Name: a.Name, Address: a.Address})
		} else {
			out = append(out, providers.Address{Address: DecodeHeader(item)})
		}
	}
	return out
}

func toAddresses(list []*mail.Address) []providers.Address {
	out := make([]providers.Address, len(list))
	for i, a := range list {
		out[i] = providers.Address{Name: a.Name, Address: a.Address}
	}
	return out
}
