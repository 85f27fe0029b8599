package secrets

import (
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Mask replaces a secret in output.
const Mask = "[REDACTED]"

// minLen is the shortest value worth redacting: masking "a" or "12" would garble all output
// while protecting nothing.
const minLen = 6

// Redactor masks registered values, and the forms they take on the way out (forms.go), in text.
// It is safe for concurrent use. A run has one (cmd makes it, and hands it to the providers
// through providers.Shared and to the secret resolver): everything the run prints passes it, so
// two runs in one process never mask, or fail to mask, each other's secrets. A nil *Redactor
// masks nothing, for code whose output nobody reads.
type Redactor struct {
	mu       sync.RWMutex
	values   map[string]bool
	replacer *strings.Replacer
}

// Add registers a secret value; values shorter than 6 bytes are ignored. A value of several
// lines registers each line too: a diff or a message split at line breaks shows one at a time.
func (r *Redactor) Add(value string) {
	if r == nil || len(value) < minLen {
		return
	}
	if strings.ContainsAny(value, "\r\n") {
		for line := range strings.FieldsFuncSeq(value, func(c rune) bool { return c == '\n' || c == '\r' }) {
			if line != value {
				r.Add(line)
			}
		}
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
	// Built again on the next Redact: registering a key's lines or a batch of variables then
	// costs one build, not one per value.
	r.replacer = nil
}

// current returns the replacer for the registered values, building it if a value was added.
func (r *Redactor) current() *strings.Replacer {
	r.mu.RLock()
	rep, n := r.replacer, len(r.values)
	r.mu.RUnlock()
	if rep != nil || n == 0 {
		return rep
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.replacer != nil {
		return r.replacer
	}
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
	return r.replacer
}

// Redact returns s with every registered value masked.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		return s
	}
	rep := r.current()
	if rep == nil {
		return s
	}
	out := rep.Replace(s)
	if !slices.ContainsFunc(softBreakForms, func(b string) bool { return strings.Contains(out, b) }) {
		return out // the common case: no second pass (a bare `=\` would catch every JSON `=\"`)
	}
	// A quoted-printable source (a raw message) breaks lines at 76 characters with a soft
	// break, "=" at a line's end, which can split a secret in two pieces that match nothing.
	// Read without the soft breaks, the text shows a split secret whole: then the text is
	// given so, masked, its long lines the price of not leaking the pieces.
	joined := softBreaks.Replace(out)
	if masked := rep.Replace(joined); masked != joined {
		return masked
	}
	return out
}

// softBreaks removes quoted-printable soft line breaks, as written and as a JSON string or a
// printed one shows them (escaped once or twice).
var (
	softBreakForms = []string{"=\r\n", "=\n", `=\r\n`, `=\n`, `=\\r\\n`, `=\\n`}
	softBreaks     = func() *strings.Replacer {
		var pairs []string
		for _, f := range softBreakForms {
			pairs = append(pairs, f, "")
		}
		return strings.NewReplacer(pairs...)
	}()
)

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
