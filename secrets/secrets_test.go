package secrets

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const canary = "s3cr3t+value/with=chars"

func TestRedactorMasksEncodedForms(t *testing.T) {
	r := &Redactor{}
	r.Add(canary)
	r.Add(`a&b<"q"`)
	r.Add("abc") // too short to mask
	for _, form := range []string{canary, base64.StdEncoding.EncodeToString([]byte(canary)),
		base64.RawURLEncoding.EncodeToString([]byte(canary)), url.QueryEscape(canary), url.PathEscape(canary),
		// JavaScript's encodeURIComponent and escape, and the JSON and XML reporters' escaping
		"s3cr3t%2Bvalue%2Fwith%3Dchars", "s3cr3t+value/with%3Dchars", `a\u0026b\u003c\"q\"`, `a&b<\"q\"`, "a&amp;b&lt;&#34;q&#34;"} {
		got := r.Redact("token=" + form + " end")
		if got != "token="+Mask+" end" {
			t.Errorf("Redact(%q) = %q", form, got)
		}
	}
	if got := r.Redact("abc stays"); got != "abc stays" {
		t.Errorf("short value masked: %q", got)
	}
	var buf bytes.Buffer
	fmt.Fprintf(r.Writer(&buf), "secret is %s\n", canary)
	if strings.Contains(buf.String(), canary) || !strings.Contains(buf.String(), Mask) {
		t.Errorf("Writer output %q", buf.String())
	}
}

// TestRedactorMasksPrintedForms: a value as console.log and expect print it (Node's quoting),
// each line of a value of several lines (a diff shows one line at a time), and the value in a
// mail's source, quoted-printable or in an RFC 2047 encoded word (found by a new-user probe).
func TestRedactorMasksPrintedForms(t *testing.T) {
	r := &Redactor{}
	quoted := `db"Pass\word'42x`
	lines := "line-one-secret-AAA\nline-two-secret-BBB"
	mailed := "pw=Fi1e-Secret/Value+Ünï"
	for _, v := range []string{quoted, lines, mailed} {
		r.Add(v)
	}
	for _, text := range []string{
		`{ v: 'db"Pass\\word\'42x' }`,       // console.log of an object, single-quoted
		"Received: `db\"Pass\\\\word'42x`",  // a string holding both quotes: backquoted
		`"{ v: 'db\"Pass\\\\word\\'42x' }"`, // that line inside a JSON report
		"+ line-two-secret-BBB",             // one line of a diff
		`'line-one-secret-AAA\n' +`,         // a string split at its line breaks
		"body: pw=3DFi1e-Secret/Value+=C3=9Cn=C3=AF\r\n",
		"Subject: =?utf-8?q?pw=3DFi1e-Secret/Value+=C3=9Cn=C3=AF?=",
		// split by a quoted-printable soft break, as written, as JSON shows it, escaped twice
		"body: pw=3DFi1e-Secr=\r\net/Value+=C3=9Cn=C3=AF\r\n",
		`"body: pw=3DFi1e-Secr=\r\net/Value+=C3=9Cn=C3=AF"`,
		`"\"pw=3DFi1e-Secr=\\r\\net/Value+=C3=9Cn=C3=AF\""`,
	} {
		got := r.Redact(text)
		for _, leak := range []string{"Pass", "line-one-secret", "line-two-secret", "Fi1e-Secr", "Value+"} {
			if strings.Contains(got, leak) {
				t.Errorf("Redact(%q) = %q: leaks %q", text, got, leak)
			}
		}
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(path, []byte(canary+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	red := &Redactor{}
	r := Resolver{Getenv: func(k string) string { return map[string]string{"CS": canary}[k] }, Redactor: red}
	for _, ref := range []string{"env:CS", "file:" + path} {
		v, err := r.Resolve(context.Background(), ref)
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		if v.Reveal() != canary {
			t.Fatalf("%s revealed %q", ref, v.Reveal())
		}
		js, _ := json.Marshal(map[string]any{"v": v})
		for _, out := range []string{v.String(), fmt.Sprint(v), fmt.Sprintf("%v %+v %#v", v, v, v), string(js)} {
			if strings.Contains(out, canary) || !strings.Contains(out, "[secret "+ref+"]") {
				t.Errorf("%s printed as %q", ref, out)
			}
		}
		if red.Redact(canary) != Mask {
			t.Errorf("%s not registered for redaction", ref)
		}
	}
	for ref, want := range map[string]string{
		"env:MISSING":          "MISSING is not set",
		"file:" + dir + "/nop": "cannot read the file " + filepath.Join(dir, "nop") + ": no such file",
		"hcp://org/app/x":      "unsupported secret reference",
		"plain":                "looks like env:NAME",
	} {
		_, err := r.Resolve(context.Background(), ref)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), ref) {
			t.Errorf("Resolve(%q) error = %v, want it to name the ref and say %q", ref, err, want)
		}
	}
}

func TestCacheResolvesOnce(t *testing.T) {
	calls := 0
	c := &Cache{Resolver: Resolver{Getenv: func(string) string { calls++; return canary }, Redactor: &Redactor{}}}
	for range 3 {
		if v, err := c.Resolve(context.Background(), "env:X"); err != nil || v.Reveal() != canary {
			t.Fatal(v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("resolved %d times, want 1", calls)
	}
}
