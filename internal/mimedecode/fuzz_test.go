package mimedecode

import (
	"testing"
	"unicode/utf8"
)

// FuzzDecode: any header values and body bytes decode without a panic, and every text that
// comes out is valid UTF-8 (the rule for invalid input never lets bytes through undecoded).
// The walks that call this (providers/mimemsg, emulator/store) bound depth and size.
func FuzzDecode(f *testing.F) {
	f.Add("text/plain; charset=utf-8", "attachment; filename*=utf-8''%E9", "base64", "=?utf-8?q?J=C3=B6rg?= <j@x>", []byte("aGVsbG8="))
	f.Add("text/html; charset=x-unknown", "", "quoted-printable", "a@b, not an address", []byte("caf=E9=\r\n\x93"))
	f.Add("", "inline", "", "=?Shift_JIS?B?grGCsQ==?=", []byte("caf\xe9"))
	f.Fuzz(func(t *testing.T, ctype, disposition, encoding, address string, body []byte) {
		l := Describe(header{"Content-Type": ctype, "Content-Disposition": disposition, "Content-Transfer-Encoding": encoding}, false)
		text := l.Text(Transfer(l.Encoding, body))
		if !utf8.ValidString(text) {
			t.Fatalf("text %q is not UTF-8", text)
		}
		for _, a := range AddressList(address) {
			if !utf8.ValidString(a.Name) {
				t.Fatalf("name %q is not UTF-8", a.Name)
			}
		}
		if h := DecodeHeader(address); !utf8.ValidString(h) {
			t.Fatalf("header %q is not UTF-8", h)
		}
		if p := Preview(text, string(body)); utf8.RuneCountInString(p) > PreviewLen {
			t.Fatalf("preview of %d characters", utf8.RuneCountInString(p))
		}
	})
}
