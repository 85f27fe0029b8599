package report

import (
	"io"
	"strings"
)

// dotsPerLine keeps the progress row within a standard terminal width.
const dotsPerLine = 80

// Dots writes one character per test ('.' passed, 'F' failed, 's' skipped, '±' flaky, '⊘' interrupted,
// and 'F' for a file that failed outside its tests), then the failures and a
// summary. It has no live status line: it is meant for compact CI logs.
type Dots struct {
	w    io.Writer
	p    palette
	col  int
	err  error
	done bool
}

// NewDots returns a dots reporter writing to w; it honours opts.Colors only.
func NewDots(w io.Writer, opts PrettyOptions) *Dots {
	return &Dots{w: w, p: palette(opts.Colors)}
}

// FileStarted does nothing: dots only mark finished tests.
func (r *Dots) FileStarted(string) {}

// TestStarted does nothing: dots only mark finished tests.
func (r *Dots) TestStarted(string, Test) {}

// TestFinished writes the test's mark.
func (r *Dots) TestFinished(_ string, t Test) {
	switch {
	case t.Flaky():
		r.mark(r.p.yellow("±"))
	case t.Status == Passed:
		r.mark(r.p.green("."))
	case t.Status == Interrupted:
		r.mark(r.p.yellow("⊘"))
	case t.Status == Failed:
		r.mark(r.p.red("F"))
	default:
		r.mark(r.p.yellow("s"))
	}
}

// FileFinished marks a file-level error, which counts as one failure.
func (r *Dots) FileFinished(f File) {
	if f.Error != nil {
		r.mark(r.p.red("F"))
	}
}

// Finished ends the progress row and prints the failures and the summary.
func (r *Dots) Finished(files []File, s Summary) error {
	if r.done {
		return r.err
	}
	r.done = true
	var b strings.Builder
	if r.col > 0 {
		b.WriteString("\n")
	}
	b.WriteString("\n")
	writeFailures(&b, files, r.p)
	writeSummary(&b, files, s, r.p)
	r.write(b.String())
	return r.err
}

func (r *Dots) mark(s string) {
	if r.col == dotsPerLine {
		r.write("\n")
		r.col = 0
	}
	r.write(s)
	r.col++
}

func (r *Dots) write(s string) {
	if r.err == nil {
		_, r.err = io.WriteString(r.w, s)
	}
}
