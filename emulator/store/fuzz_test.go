package store

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseMessage: any bytes parse to a message or ErrInvalid, never a panic, and the parts
// stay within the nesting bound. scripts/bench.sh runs it for a while; CI runs the seeds.
func FuzzParseMessage(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(nestedMIME(3))
	f.Add([]byte("Subject: x\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=E9t=E9"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var m Message
		if err := parseMessage(raw, &m, func() string { return "att" }); err != nil {
			return
		}
		if d := depth(m.Root); d > maxPartDepth+1 {
			t.Fatalf("parts nest %d levels", d)
		}
	})
}

func depth(p *Part) int {
	d := 0
	for _, c := range p.Parts {
		d = max(d, depth(c))
	}
	return d + 1
}
