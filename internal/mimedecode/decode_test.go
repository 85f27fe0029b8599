package mimedecode

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// TestCharset pins the rule for text that is not what its label says: in undeclared, US-ASCII
// or UTF-8 labelled 8-bit text, every byte that is not part of a UTF-8 sequence reads as
// windows-1252; a declared legacy charset is honoured; an unknown one keeps the valid bytes.
func TestCharset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		charset string
		in      []byte
		want    string
	}{
		{"", []byte("plain"), "plain"},
		{"", []byte("caf\xc3\xa9"), "café"},                           // undeclared but valid UTF-8
		{"", []byte("caf\xe9 \x80 5"), "café € 5"},                    // undeclared 8-bit: windows-1252
		{"us-ascii", []byte("na\xefve"), "naïve"},                     // RFC 2045's default label
		{"UTF-8", []byte("é"), "é"},                                   // declared and valid
		{"utf-8", []byte{0x93, 'h', 'i', 0x94}, "“hi”"},               // mislabelled windows-1252
		{"utf-8", []byte("caf\xc3\xa9 and caf\xe9"), "café and café"}, // mixed: UTF-8 stays, the stray byte is windows-1252
		{"", []byte("\xe2\x82 \xe2\x82\xac"), "â‚ €"},                 // a cut sequence is two windows-1252 bytes
		{"iso-8859-1", []byte{0xe9}, "é"},
		{"ISO-8859-15", []byte{0xa4}, "€"},
		{"koi8-r", []byte{0xf0, 0xd2, 0xc9}, "При"},
		{"x-unknown", []byte("ok\xff"), "ok\uFFFD"},
		{"", nil, ""},
	}
	for _, tt := range tests {
		if got := Charset(tt.charset, tt.in); got != tt.want {
			t.Errorf("Charset(%q, %q) = %q, want %q", tt.charset, tt.in, got, tt.want)
		}
	}
}

// TestCharsetSharesValidUTF8: a valid UTF-8 body is not copied (the emulator's store keeps
// megabytes of mail and holds each body once).
func TestCharsetSharesValidUTF8(t *testing.T) {
	t.Parallel()
	b := []byte("Grüße")
	if s := Charset("utf-8", b); s != "Grüße" || unsafe.StringData(s) != &b[0] {
		t.Fatalf("Charset(%q) = %q, a copy", b, s)
	}
}

func TestTransfer(t *testing.T) {
	t.Parallel()
	tests := []struct{ enc, in, want string }{
		{"base64", "aGVs\r\nbG8=", "hello"},
		{"BASE64", " aGVs bG8=\t", "hello"},              // stray white space some mailers add
		{"base64", "aGVsbG8=!!!!", "hello"},              // a broken tail keeps what decoded
		{"quoted-printable", "caf=C3=A9=\r\nx", "caféx"}, // soft line break
		{"7bit", "as is=41", "as is=41"},
		{"", "as is", "as is"},
	}
	for _, tt := range tests {
		if got := string(Transfer(tt.enc, []byte(tt.in))); got != tt.want {
			t.Errorf("Transfer(%q, %q) = %q, want %q", tt.enc, tt.in, got, tt.want)
		}
	}
}

func TestAddressList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []Address
	}{
		{"", nil},
		{"=?utf-8?q?J=C3=B6rg?= <j@example.com>, b@example.org", []Address{{"Jörg", "j@example.com"}, {"", "b@example.org"}}},
		// One broken entry does not lose the others, and is kept as text.
		{"a@example.com, not an address, Bob <b@example.org>", []Address{{"", "a@example.com"}, {"", "not an address"}, {"Bob", "b@example.org"}}},
		{"undisclosed-recipients:;", []Address{}}, // an empty group is no one, not a broken entry
		{"Team: a@example.com, b@example.com;", []Address{{"", "a@example.com"}, {"", "b@example.com"}}},
		{"J\xf6rg <j@example.com>", []Address{{"Jörg", "j@example.com"}}}, // raw 8-bit name
		{"=?utf-8?q?J=F6rg?= <j@example.com>", []Address{{"J\uFFFDrg", "j@example.com"}}},
	}
	for _, tt := range tests {
		if got := AddressList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AddressList(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestDecodeHeader(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=?ISO-8859-1?Q?Gr=FC=DFe?=":      "Grüße",
		"=?windows-1252?B?gA==?= 5":       "€ 5",
		"=?x-unknown?Q?kept?= as it came": "=?x-unknown?Q?kept?= as it came",
		"plain":                           "plain",
		"caf\xe9 =?utf-8?q?ol=C3=A9?=":    "café olé", // raw 8-bit: windows-1252 unless UTF-8
		"Gr\xc3\xbc\xc3\x9fe":             "Grüße",
		"=?utf-8?q?bad=FF?=":              "bad\uFFFD",
	} {
		if got := DecodeHeader(in); got != want {
			t.Errorf("DecodeHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

type header map[string]string

func (h header) Get(name string) string { return h[name] }

func TestDescribe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		h         header
		inRelated bool
		want      Leaf
	}{
		{"no header is plain text", header{}, false, Leaf{Kind: PlainBody, MediaType: "text/plain"}},
		{"html", header{"Content-Type": "text/html; charset=ISO-8859-1"}, false, Leaf{Kind: HTMLBody, MediaType: "text/html", Charset: "ISO-8859-1"}},
		{"text declared an attachment", header{"Content-Type": "text/plain", "Content-Disposition": "attachment"}, false, Leaf{Kind: Attachment, MediaType: "text/plain"}},
		{"named text", header{"Content-Type": "text/csv; name=a.csv"}, false, Leaf{Kind: Attachment, MediaType: "text/csv", Name: "a.csv"}},
		{"image with a Content-ID", header{"Content-Type": "image/gif", "Content-ID": " <x@y> "}, false, Leaf{Kind: Inline, MediaType: "image/gif", ContentID: "x@y"}},
		{"resource of multipart/related", header{"Content-Type": "image/gif; name=a.gif"}, true, Leaf{Kind: Inline, MediaType: "image/gif", Name: "a.gif"}},
		{"bare file", header{"Content-Type": "application/octet-stream"}, false, Leaf{Kind: Attachment, MediaType: "application/octet-stream"}},
		{"encoded name, encoding lower-cased", header{"Content-Type": `application/pdf; name="=?utf-8?b?w6kucGRm?="`, "Content-Transfer-Encoding": " BASE64"}, false,
			Leaf{Kind: Attachment, MediaType: "application/pdf", Name: "é.pdf", Encoding: "base64"}},
		{"RFC 2231 file name wins over name", header{"Content-Type": "application/pdf; name=old.pdf", "Content-Disposition": "attachment; filename*=utf-8''%C3%A9t%C3%A9.pdf"}, false,
			Leaf{Kind: Attachment, MediaType: "application/pdf", Name: "été.pdf"}},
		{"broken parameters keep the media type", header{"Content-Type": `text/plain; charset="utf-8; broken`}, false, Leaf{Kind: PlainBody, MediaType: "text/plain"}},
	}
	for _, tt := range tests {
		if got := Describe(tt.h, tt.inRelated); got != tt.want {
			t.Errorf("%s: Describe = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 100)
	tests := []struct{ name, text, html, want string }{
		{"text, white space collapsed", "  Your code\r\n\tis 123456 ", "<p>ignored</p>", "Your code is 123456"},
		{"html when the text is blank", " \n", `<head><title>T</title></head><p>Reset <a href="https://x.example/r">here</a></p>`, "Reset here"},
		{"at most PreviewLen characters", long, "", strings.Repeat("word ", 51)[:PreviewLen]},
	}
	for _, tt := range tests {
		got := Preview(tt.text, tt.html)
		if got != tt.want {
			t.Errorf("%s: Preview = %q, want %q", tt.name, got, tt.want)
		}
		if utf8.RuneCountInString(got) > PreviewLen {
			t.Errorf("%s: %d characters", tt.name, utf8.RuneCountInString(got))
		}
	}
}
