package report

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"testing"
)

// FuzzDecodeDataURL: any part URL a message brings decodes or is left alone, without a panic,
// and a data: URL built from bytes gives them back.
func FuzzDecodeDataURL(f *testing.F) {
	for _, s := range []string{"data:text/plain;base64,aGVsbG8=", "data:,a%20b", "data:;base64,%%%", "data:x", "parts/a.bin", "data:,%4"} {
		f.Add(s, []byte("seed"))
	}
	f.Fuzz(func(t *testing.T, u string, b []byte) {
		decodeDataURL(u)
		if got, ok := decodeDataURL("data:application/octet-stream;base64," + base64.StdEncoding.EncodeToString(b)); !ok || !bytes.Equal(got, b) {
			t.Fatalf("base64 round trip of %q gave %q, %v", b, got, ok)
		}
		if got, ok := decodeDataURL("data:text/plain," + url.PathEscape(string(b))); !ok || !bytes.Equal(got, b) {
			t.Fatalf("percent round trip of %q gave %q, %v", b, got, ok)
		}
	})
}
