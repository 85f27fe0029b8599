package smtp

import (
	"strings"
	"testing"
)

func FuzzParseXOAUTH2(f *testing.F) {
	f.Add([]byte("user=qa@example.com\x01auth=Bearer tok\x01\x01"))
	f.Add([]byte("auth=bearer  x\x01user=a\x01\x01"))
	f.Add([]byte("\x01\x01"))
	f.Add([]byte("user\x01\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		user, token, err := parseXOAUTH2(b)
		if err != nil {
			return
		}
		if user == "" || token == "" || strings.ContainsRune(user, '\x01') || strings.ContainsRune(token, '\x01') {
			t.Fatalf("accepted user %q token %q from %q", user, token, b)
		}
	})
}
