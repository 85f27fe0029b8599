package report

import (
	"fmt"
	"io"
	"strings"
)

// GitHub writes GitHub Actions workflow commands when the run finishes: an ::error annotation
// per failure, at its place in the user's source, and a ::warning per flaky test. GitHub shows
// them on the run's summary and beside the lines of a pull request's diff. It prints nothing
// else: the CLI pairs it with the pretty reporter.
type GitHub struct {
	w io.Writer
}

// NewGitHub returns a GitHub Actions annotations reporter writing to w.
func NewGitHub(w io.Writer) *GitHub { return &GitHub{w: w} }

// FileStarted does nothing: annotations are written at the end.
func (r *GitHub) FileStarted(string) {}

// TestStarted does nothing: annotations are written at the end.
func (r *GitHub) TestStarted(string, Test) {}

// TestFinished does nothing: annotations are written at the end.
func (r *GitHub) TestFinished(string, Test) {}

// FileFinished does nothing: annotations are written at the end.
func (r *GitHub) FileFinished(File) {}

// Finished writes one annotation per failure and flaky test, in one write.
func (r *GitHub) Finished(files []File, _ Summary) error {
	var b strings.Builder
	for _, f := range files {
		if f.Error != nil {
			annotate(&b, "error", f.File, f.File+" › "+fileErrorName, f.Error)
		}
		for _, t := range f.Tests {
			switch {
			case t.Status == Failed:
				annotate(&b, "error", f.File, f.File+" › "+t.FullName(), t.Error)
			case t.Flaky():
				annotate(&b, "warning", f.File, fmt.Sprintf("%s › %s (flaky: passed on attempt %d)", f.File, t.FullName(), t.Attempts()), t.Retries[0])
			}
		}
	}
	_, err := io.WriteString(r.w, b.String())
	return err
}

// annotate writes ::level file=...,line=...,col=...,title=...::message. Without a known
// location the annotation names the test file, so it still lands on the right file.
func annotate(b *strings.Builder, level, file, title string, e *Error) {
	if e == nil {
		e = &Error{Message: "failed without an error"}
	}
	props := []string{}
	if f, line, col, ok := splitLocation(e.Location); ok {
		props = append(props, "file="+escapeProperty(f), fmt.Sprintf("line=%d", line), fmt.Sprintf("col=%d", col))
	} else {
		props = append(props, "file="+escapeProperty(file))
	}
	props = append(props, "title="+escapeProperty(title))
	msg := errorHeadline(e)
	if e.Diff != "" {
		msg += "\n\n" + e.Diff
	}
	fmt.Fprintf(b, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(ansiEscape.ReplaceAllString(msg, "")))
}

// dataEscaper escapes a workflow command's message as the runner unescapes it: %, CR and LF.
var dataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

// propertyEscaper also escapes the property separators : and ,.
var propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func escapeData(s string) string { return dataEscaper.Replace(s) }

func escapeProperty(s string) string {
	return propertyEscaper.Replace(ansiEscape.ReplaceAllString(s, ""))
}
