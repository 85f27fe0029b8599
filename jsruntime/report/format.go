package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// palette applies ANSI colours when enabled, so that every console reporter
// shares one notion of what a pass, a failure and a skip look like.
type palette bool

func (p palette) wrap(code, s string) string {
	if !p || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (p palette) green(s string) string  { return p.wrap("32", s) }
func (p palette) red(s string) string    { return p.wrap("31", s) }
func (p palette) yellow(s string) string { return p.wrap("33", s) }
func (p palette) dim(s string) string    { return p.wrap("2", s) }
func (p palette) bold(s string) string   { return p.wrap("1", s) }

// testDuration is short for quick tests and precise enough for slow ones.
func testDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return seconds(d)
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// fileFailed tells whether a file counts as failed in the summary.
func fileFailed(f File) bool {
	if f.Error != nil {
		return true
	}
	for _, t := range f.Tests {
		if t.Status == Failed {
			return true
		}
	}
	return false
}

// fileSkipped is true for a file whose every test was skipped, and for one with no test to run
// (--grep selected none of its tests): neither passed anything.
func fileSkipped(f File) bool {
	if f.Error != nil {
		return false
	}
	for _, t := range f.Tests {
		if t.Status != Skipped {
			return false
		}
	}
	return true
}

// fileInterrupted is true for a file with a test the run's stop cut short (--bail, Ctrl-C).
func fileInterrupted(f File) bool {
	for _, t := range f.Tests {
		if t.Status == Interrupted {
			return true
		}
	}
	return false
}

// errorHeadline is how a JS error introduces itself: "Name [CODE]: message".
func errorHeadline(e *Error) string {
	name := e.Name
	if name == "" {
		name = "Error"
	}
	if e.Code != "" {
		name += " [" + e.Code + "]"
	}
	if e.Message == "" {
		return name
	}
	return name + ": " + e.Message
}

// stackFrames drops the headline a JS stack usually repeats, since the
// failure report prints the headline already.
func stackFrames(e *Error) string {
	stack := strings.Trim(e.Stack, "\n")
	first, rest, _ := strings.Cut(stack, "\n")
	switch strings.TrimSpace(first) {
	case errorHeadline(e), e.Name + ": " + e.Message, e.Message:
		stack = rest
	}
	return strings.Trim(stack, "\n")
}

// indent prefixes every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = prefix + l
		} else {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// fileErrorName is how a failure outside any test is named in every report.
const fileErrorName = "(file)"

// writeFailures prints every failure of the run with what a user needs to
// fix it: headline, diff, source excerpt, location, stack and console output.
func writeFailures(w io.Writer, files []File, p palette) {
	var b strings.Builder
	n := 0
	for _, f := range files {
		if f.Error != nil {
			n++
			writeFailure(&b, p, f.File+" › "+fileErrorName, f.Error, f.Output)
		}
		for _, t := range f.Tests {
			if t.Status == Failed {
				n++
				title := f.File + " › " + t.FullName()
				if len(t.Retries) > 0 {
					title += fmt.Sprintf(" (failed all %d attempts)", t.Attempts())
				}
				writeFailure(&b, p, title, t.Error, t.Output)
			}
		}
	}
	if n > 0 {
		fmt.Fprintf(w, "%s\n\n%s", p.bold(fmt.Sprintf("Failures (%d):", n)), b.String())
	}
	writeFlaky(w, files, p)
}

// writeFlaky lists the tests that passed only on a retry, with why the first attempt failed:
// they pass the run, but hide a problem worth a look.
func writeFlaky(w io.Writer, files []File, p palette) {
	var b strings.Builder
	n := 0
	for _, f := range files {
		for _, t := range f.Tests {
			if t.Flaky() {
				n++
				fmt.Fprintf(&b, "  %s %s\n", p.yellow("± "+f.File+" › "+t.FullName()), p.dim(fmt.Sprintf("(passed on attempt %d)", t.Attempts())))
				for i, e := range t.Retries {
					fmt.Fprintf(&b, "    attempt %d: %s\n", i+1, firstLine(errorHeadline(e)))
				}
			}
		}
	}
	if n > 0 {
		fmt.Fprintf(w, "%s\n\n%s\n", p.bold(p.yellow(fmt.Sprintf("Flaky (%d):", n))), b.String())
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func writeFailure(b *strings.Builder, p palette, title string, e *Error, output string) {
	b.WriteString(p.red(p.bold("  ● "+title)) + "\n\n")
	if e == nil {
		e = &Error{Message: "failed without an error"}
	}
	b.WriteString(indent(p.red(errorHeadline(e)), "    ") + "\n")
	if e.Diff != "" {
		b.WriteString(indent(colorDiff(e.Diff, p), "    ") + "\n")
	}
	if e.Location != "" {
		b.WriteString("    " + p.dim(e.Location) + "\n")
	}
	if e.Source != "" {
		b.WriteString(indent(e.Source, "    "))
	}
	if e.Location != "" || e.Source != "" {
		b.WriteString("\n")
	}
	if frames := stackFrames(e); frames != "" {
		b.WriteString(indent(p.dim(frames), "    ") + "\n")
	}
	if strings.TrimSpace(output) != "" {
		b.WriteString("    Console output:\n" + indent(output, "      ") + "\n")
	}
}

// colorDiff colours a Jest-style diff: "-" lines are expected, "+" received.
func colorDiff(diff string, p palette) string {
	if !p {
		return diff
	}
	lines := strings.Split(diff, "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "-"):
			lines[i] = p.green(l)
		case strings.HasPrefix(l, "+"):
			lines[i] = p.red(l)
		}
	}
	return strings.Join(lines, "\n")
}

// writeSummary prints the files and tests counts and the run's wall time.
func writeSummary(w io.Writer, files []File, s Summary, p palette) {
	var failedFiles, passedFiles, skippedFiles, interruptedFiles int
	for _, f := range files {
		switch {
		case fileFailed(f):
			failedFiles++
		case fileInterrupted(f):
			interruptedFiles++
		case fileSkipped(f):
			skippedFiles++
		default:
			passedFiles++
		}
	}
	fmt.Fprintf(w, "%s %s\n", p.bold("Files:"), counts(p, failedFiles, 0, passedFiles, skippedFiles, interruptedFiles, s.FilesNotRun))
	fmt.Fprintf(w, "%s %s  %s %s\n", p.bold("Tests:"), counts(p, s.Failed, s.Flaky, s.Passed, s.Skipped, s.InterruptedTests, 0),
		p.bold("Time:"), seconds(s.Duration))
	if s.Interrupted {
		fmt.Fprintln(w, p.yellow("Interrupted: the run stopped before every file ran."))
	}
}

func counts(p palette, failed, flaky, passed, skipped, interrupted, notRun int) string {
	var parts []string
	if failed > 0 {
		parts = append(parts, p.red(fmt.Sprintf("%d failed", failed)))
	}
	if flaky > 0 {
		parts = append(parts, p.yellow(fmt.Sprintf("%d flaky", flaky)))
	}
	if passed > 0 {
		parts = append(parts, p.green(fmt.Sprintf("%d passed", passed)))
	}
	if skipped > 0 {
		parts = append(parts, p.yellow(fmt.Sprintf("%d skipped", skipped)))
	}
	if interrupted > 0 {
		parts = append(parts, p.yellow(fmt.Sprintf("%d interrupted", interrupted)))
	}
	if notRun > 0 {
		parts = append(parts, p.yellow(fmt.Sprintf("%d not run", notRun)))
	}
	parts = append(parts, fmt.Sprintf("%d total", failed+flaky+passed+skipped+interrupted+notRun))
	return strings.Join(parts, ", ")
}

// splitLocation reads "file:line:col" from the right, since a file name (C:\\...) may hold colons.
func splitLocation(loc string) (file string, line, col int, ok bool) {
	rest, c, found := cutLast(loc, ":")
	if !found {
		return "", 0, 0, false
	}
	file, l, found := cutLast(rest, ":")
	if !found || file == "" {
		return "", 0, 0, false
	}
	line, err1 := strconv.Atoi(l)
	col, err2 := strconv.Atoi(c)
	if err1 != nil || err2 != nil {
		return "", 0, 0, false
	}
	return file, line, col, true
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
