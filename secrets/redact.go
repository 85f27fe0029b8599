package secrets

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
)

// Mask replaces a secret in output.
const Mask = "[REDACTED]"

// minLen is the shortest value worth redacting: masking "a" or "12" would garble all output
// while protecting nothing.
const minLen = 6

// Redactor masks registered values, and their base64 and URL-encoded forms, in text.
// It is safe for concurrent use.
type Redactor struct {
	mu       sync.RWMutex
	values   map[string]bool
	replacer *strings.Replacer
}

// Default is the process-wide redactor: providers register the tokens they obtain and the
// secrets package the values it resolves; every output path redacts through it.
var Default = &Redactor{}

// Add registers a secret value; values shorter than 6 bytes are ignored.
func (r *Redactor) Add(value string) {
	if len(value) < minLen {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.values == nil {
		r.values = map[string]bool{}
	}
	if r.values[value] {
		return
	}
	for _, form := range encodings(value) {
		r.values[form] = true
	}
	r.values[value] = true
	forms := make([]string, 0, len(r.values))
	for v := range r.values {
		forms = append(forms, v)
	}
	// Longest first, so that an encoded form containing a shorter secret is masked whole.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Mask)
	}
	r.replacer = strings.NewReplacer(pairs...)
}

// encodings are the forms a value takes on its way out: encoded by a script or an HTTP client,
// or escaped by the JSON and JUnit reporters after the redactor saw it last. A report file
// holding "a\u0026b" or "a&amp;b" leaks "a&b" as surely as the plain text.
func encodings(v string) []string {
	b := []byte(v)
	var xmlText strings.Builder
	_ = xml.EscapeText(&xmlText, b)
	forms := []string{
		base64.StdEncoding.EncodeToString(b),
		base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b),
		url.QueryEscape(v),
		strings.ReplaceAll(url.QueryEscape(v), "+", "%20"), // JavaScript's encodeURIComponent
		url.PathEscape(v),
		jsEscape(v),
		xmlText.String(),
		html.EscapeString(v),
	}
	for _, escapeHTML := range []bool{true, false} {
		var js strings.Builder
		enc := json.NewEncoder(&js)
		enc.SetEscapeHTML(escapeHTML)
		if enc.Encode(v) == nil {
			forms = append(forms, strings.TrimSuffix(strings.TrimSuffix(js.String(), "\n"), "\"")[1:])
		}
	}
	out := forms[:0]
	for _, f := range forms {
		if f != v && len(f) >= minLen {
			out = append(out, f)
		}
	}
	return out
}

// jsEscape is JavaScript's legacy escape(): letters, digits and @*_+-./ stay, other UTF-16
// units become %XX below 256 and %uXXXX above.
func jsEscape(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		switch {
		case u < 128 && (unicode.IsLetter(rune(u)) || unicode.IsDigit(rune(u)) || strings.ContainsRune("@*_+-./", rune(u))):
			b.WriteByte(byte(u))
		case u < 256:
			fmt.Fprintf(&b, "%%%02X", u)
		default:
			fmt.Fprintf(&b, "%%u%04X", u)
		}
	}
	return b.String()
}

// Redact returns s with every registered value masked.
func (r *Redactor) Redact(s string) string {
	r.mu.RLock()
	rep := r.replacer
	r.mu.RUnlock()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}

// Writer returns a writer that redacts each Write before passing it to w. Callers write whole
// lines or messages per call (console and reporters do), so a secret is never split across
// two writes.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &redactingWriter{r: r, w: w} }

type redactingWriter struct {
	r *Redactor
	w io.Writer
}

func (rw *redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
