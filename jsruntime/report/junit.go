package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// JUnit writes JUnit XML as Jenkins, GitLab and GitHub read it: one
// <testsuite> per file, one <testcase> per test (classname is the file, name
// the full name), <failure> with the stack, <skipped/>, console output in
// <system-out>, and the failed attempts of retried tests as Surefire writes
// them. A failure outside any test (syntax error, failing beforeAll) becomes
// a testcase named "(file)" holding an <error>, counted in errors.
type JUnit struct {
	w       io.Writer
	now     func() time.Time
	started map[string]time.Time // by file, for the suites' timestamps
	html    string               // the HTML report's index.html as the JUnit file's reader finds it
}

// LinkHTML gives each <testcase> a link to its page in the HTML report written alongside:
// <properties><property name="html-report" value="INDEX#ID"/></properties>, where index is
// the report's index.html as seen from the JUnit file. Test-case properties are where pytest,
// Playwright and jest-junit put such metadata, and what Jenkins' JUnit plugin shows (a URL
// value as a link), Allure and DataDog read; the [[ATTACHMENT|path]] convention names a file
// to copy, not a page.
func (r *JUnit) LinkHTML(index string) { r.html = index }

// NewJUnit returns a JUnit reporter writing to w.
func NewJUnit(w io.Writer) *JUnit {
	return &JUnit{w: w, now: time.Now, started: map[string]time.Time{}}
}

type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Time   string       `xml:"time,attr"`
	Suites []junitSuite `xml:"testsuite"`
}

// junitCounts are the attributes <testsuites> and each <testsuite> carry: the totals are the
// suites' sums.
type junitCounts struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
}

func (c *junitCounts) add(o junitCounts) {
	c.Tests += o.Tests
	c.Failures += o.Failures
	c.Errors += o.Errors
	c.Skipped += o.Skipped
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
	SystemOut *junitText  `xml:"system-out,omitempty"`
}

type junitCase struct {
	Classname     string        `xml:"classname,attr"`
	Name          string        `xml:"name,attr"`
	Time          string        `xml:"time,attr"`
	Properties    *junitProps   `xml:"properties,omitempty"`
	Failure       *junitProblem `xml:"failure,omitempty"`
	Error         *junitProblem `xml:"error,omitempty"`
	Skipped       *junitSkipped `xml:"skipped,omitempty"`
	FlakyFailures []junitRerun  `xml:"flakyFailure"`
	RerunFailures []junitRerun  `xml:"rerunFailure"`
	SystemOut     *junitText    `xml:"system-out,omitempty"`
}

type junitProps struct {
	Property []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// junitRerun is a failed attempt of a test that --retries ran again, as Maven Surefire
// writes it for rerunFailingTestsCount: <flakyFailure> inside a test that passed at last,
// <rerunFailure> for the attempts after the first of one that never did. Readers that know
// neither element still see a pass or a single <failure>.
type junitRerun struct {
	Message    string    `xml:"message,attr"`
	Type       string    `xml:"type,attr"`
	StackTrace junitText `xml:"stackTrace"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// junitText keeps multi-line text readable in the file: character data
// would spell every newline as &#xA;.
type junitText struct {
	Text string `xml:",cdata"`
}

// output is nil for empty console output, so that no empty element is written.
func output(s string) *junitText {
	if s == "" {
		return nil
	}
	return &junitText{Text: xmlSafe(s)}
}

// FileStarted notes the time for the suite's timestamp.
func (r *JUnit) FileStarted(file string) { r.started[file] = r.now() }

// TestStarted does nothing: the document is written at the end.
func (r *JUnit) TestStarted(string, Test) {}

// TestFinished does nothing: the document is written at the end.
func (r *JUnit) TestFinished(string, Test) {}

// FileFinished does nothing: the document is written at the end.
func (r *JUnit) FileFinished(File) {}

// Finished writes the document.
func (r *JUnit) Finished(files []File, s Summary) error {
	doc := junitSuites{Name: "mailscript", Time: junitSeconds(s.Duration)}
	ids := TestIDs(files)
	for i, f := range files {
		suite := r.suite(f, ids[i])
		doc.add(suite.junitCounts)
		doc.Suites = append(doc.Suites, suite)
	}
	// One write of the whole document: the writer may be a redactor, which can only mask a
	// secret that a single write holds whole (xml.Encoder flushes in 4 KB chunks).
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	buf.WriteString("\n")
	_, err := r.w.Write(buf.Bytes())
	return err
}

func (r *JUnit) suite(f File, ids []string) junitSuite {
	file := xmlSafe(f.File)
	suite := junitSuite{Name: file, Time: junitSeconds(f.Duration)}
	if t, ok := r.started[f.File]; ok {
		suite.Timestamp = t.UTC().Format("2006-01-02T15:04:05")
	}
	for i, t := range f.Tests {
		c := junitCase{Classname: file, Name: xmlSafe(t.FullName()), Time: junitSeconds(t.Duration), SystemOut: output(t.Output)}
		if r.html != "" {
			c.Properties = &junitProps{[]junitProp{{Name: "html-report", Value: xmlSafe(r.html + "#" + ids[i])}}}
		}
		switch t.Status {
		case Passed:
			for _, e := range t.Retries {
				c.FlakyFailures = append(c.FlakyFailures, rerun(e))
			}
		case Failed:
			// Surefire's <failure> is the first run's; the reruns follow it.
			attempts := append(append([]*Error(nil), t.Retries...), t.Error)
			c.Failure = problem(attempts[0])
			for _, e := range attempts[1:] {
				c.RerunFailures = append(c.RerunFailures, rerun(e))
			}
			suite.Failures++
		case Skipped:
			c.Skipped = &junitSkipped{}
			suite.Skipped++
		case Interrupted:
			// Not a failure of the test: the run stopped while it ran.
			c.Skipped = &junitSkipped{Message: "interrupted"}
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, c)
	}
	if f.Error != nil {
		suite.Cases = append(suite.Cases, junitCase{Classname: file, Name: fileErrorName, Time: junitSeconds(0),
			Error: problem(f.Error), SystemOut: output(f.Output)})
		suite.Errors++
	} else {
		suite.SystemOut = output(f.Output)
	}
	suite.Tests = len(suite.Cases)
	return suite
}

// problem builds a <failure> or <error>: CI systems show its text as the
// "stack trace", so the text leads with what failed and the diff.
func problem(e *Error) *junitProblem {
	if e == nil {
		e = &Error{Message: "failed without an error"}
	}
	typ := e.Name
	if typ == "" {
		typ = "Error"
	}
	parts := []string{errorHeadline(e)}
	if e.Diff != "" {
		parts = append(parts, e.Diff)
	}
	if e.Source != "" {
		parts = append(parts, e.Source)
	}
	if frames := stackFrames(e); frames != "" {
		parts = append(parts, frames)
	} else if e.Location != "" {
		parts = append(parts, "    at "+e.Location)
	}
	return &junitProblem{Message: xmlSafe(e.Message), Type: xmlSafe(typ), Text: xmlSafe(strings.Join(parts, "\n\n"))}
}

func rerun(e *Error) junitRerun {
	p := problem(e)
	return junitRerun{Message: p.Message, Type: p.Type, StackTrace: junitText{Text: p.Text}}
}

func junitSeconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// ansiEscape matches terminal colour and cursor sequences, which console
// output may carry and which mean nothing in a CI report.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// xmlSafe strips terminal sequences, replaces invalid UTF-8 with U+FFFD and
// spells out characters XML 1.0 cannot hold at all (most C0 controls, U+FFFE,
// U+FFFF) as \uXXXX, instead of the U+FFFD that encoding/xml would silently
// put in their place.
func xmlSafe(s string) string {
	s = strings.ToValidUTF8(ansiEscape.ReplaceAllString(s, ""), "\uFFFD")
	if strings.IndexFunc(s, xmlForbidden) < 0 {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if xmlForbidden(c) {
			fmt.Fprintf(&b, `\u%04X`, c)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// xmlForbidden follows the Char production of XML 1.0. Surrogates never get
// here: ranging over a string turns them into U+FFFD.
func xmlForbidden(c rune) bool {
	if c < 0x20 {
		return c != '\t' && c != '\n' && c != '\r'
	}
	return c == 0xFFFE || c == 0xFFFF
}
