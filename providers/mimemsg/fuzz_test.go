package mimemsg

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailscript/mailscript/internal/mimedecode"
)

// FuzzParse: any bytes parse to a message or an error, never a panic, with text and html in
// valid UTF-8 however broken the charset, and nesting past the bound read without recursion.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(nested(mimedecode.MaxDepth + 2))
	f.Add([]byte("Subject: x\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf\xe9 \x93x\x94"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if err != nil {
			return
		}
		if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
			t.Fatalf("text %q / html %q are not UTF-8", m.Text, m.HTML)
		}
	})
}

// nested is a message whose multipart/mixed parts nest depth levels deep around a text part.
func nested(depth int) []byte {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n")
	for i := range depth {
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + strconv.Itoa(i) + "\r\n\r\n--b" + strconv.Itoa(i) + "\r\n")
	}
	b.WriteString("Content-Type: text/plain\r\n\r\ninnermost\r\n")
	for i := depth - 1; i >= 0; i-- {
		b.WriteString("--b" + strconv.Itoa(i) + "--\r\n")
	}
	return []byte(b.String())
}

// TestParseDepthBound: a message nested as deep as the bound reads in full, one nested deeper
// still parses (the part past the bound is a file, not a body).
func TestParseDepthBound(t *testing.T) {
	t.Parallel()
	m, err := Parse(nested(mimedecode.MaxDepth))
	if err != nil || m.Text != "innermost" {
		t.Fatalf("at the bound: text %q, err %v", m.Text, err)
	}
	m, err = Parse(nested(5000))
	if err != nil || m.Text != "" || len(m.Attachments) != 1 {
		t.Fatalf("past the bound: text %q, %d attachments, err %v", m.Text, len(m.Attachments), err)
	}
}
