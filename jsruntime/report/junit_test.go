package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func newTestJUnit(w *bytes.Buffer) *JUnit {
	r := NewJUnit(w)
	r.now = func() time.Time { return time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC) }
	return r
}

func TestJUnitGolden(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(newTestJUnit(&buf), files, s); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.xml", buf.Bytes())
}

// TestJUnitParsesBack reads the document the way a CI system would.
func TestJUnitParsesBack(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(newTestJUnit(&buf), files, s); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v", err)
	}
	if doc.Name != "mailscript" || doc.Tests != 11 || doc.Failures != 4 || doc.Errors != 1 || doc.Skipped != 2 || doc.Time != "1.500" {
		t.Errorf("testsuites = name %q tests %d failures %d errors %d skipped %d time %s",
			doc.Name, doc.Tests, doc.Failures, doc.Errors, doc.Skipped, doc.Time)
	}
	if len(doc.Suites) != 3 {
		t.Fatalf("got %d suites, want 3", len(doc.Suites))
	}
	reset, broken, odd := doc.Suites[0], doc.Suites[1], doc.Suites[2]
	if reset.Timestamp != "2025-03-04T05:06:07" || reset.Time != "1.450" || reset.Failures != 3 || reset.Skipped != 2 {
		t.Errorf("reset suite = %+v", reset)
	}
	link := reset.Cases[2]
	if link.Classname != "tests/reset.test.js" || link.Name != "reset flow > link works" || link.Time != "0.030" ||
		link.Failure == nil || link.Failure.Type != "AssertionError" || link.SystemOut == nil || link.SystemOut.Text != "checking 1 link\n" {
		t.Errorf("failed case = %+v", link)
	}
	if !bytes.Contains([]byte(link.Failure.Text), []byte("at tests/reset.test.js:12:24")) {
		t.Errorf("failure text lacks the stack: %q", link.Failure.Text)
	}
	if reset.Cases[3].Skipped == nil {
		t.Errorf("skipped case has no <skipped/>: %+v", reset.Cases[3])
	}
	// A flaky test passes for readers that know no <flakyFailure>; one that never passed has
	// one <failure> (the first attempt's) and a <rerunFailure> per further attempt.
	late, never := reset.Cases[4], reset.Cases[5]
	if late.Failure != nil || len(late.FlakyFailures) != 1 || late.FlakyFailures[0].Type != "TimeoutError" ||
		!strings.Contains(late.FlakyFailures[0].StackTrace.Text, "at tests/reset.test.js:15:20") {
		t.Errorf("flaky case = %+v", late)
	}
	if never.Failure == nil || never.Failure.Message != "attempt 1 timed out" || len(never.RerunFailures) != 2 ||
		never.RerunFailures[1].Message != "attempt 3 timed out" {
		t.Errorf("case failing every attempt = %+v", never)
	}
	// A test the run stopped is not a failure.
	if stopped := reset.Cases[6]; stopped.Failure != nil || stopped.Skipped == nil || stopped.Skipped.Message != "interrupted" {
		t.Errorf("interrupted case = %+v", stopped)
	}
	if len(broken.Cases) != 1 || broken.Cases[0].Name != fileErrorName || broken.Cases[0].Error == nil ||
		broken.Cases[0].Error.Type != "SyntaxError" || broken.Errors != 1 || broken.Cases[0].SystemOut == nil || broken.Cases[0].SystemOut.Text != "loading\n" {
		t.Errorf("file-level error suite = %+v", broken)
	}
	if odd.Name != "tests/odd <chars> & more.test.js" || odd.SystemOut == nil || odd.SystemOut.Text != "file-level log\n" {
		t.Errorf("odd suite name/output = %q / %+v", odd.Name, odd.SystemOut)
	}
	if got, want := odd.Cases[0].SystemOut.Text, `red nul\u0000 form\u000C feed \uFFFE end ]]> cdata`+"\n"; got != want {
		t.Errorf("system-out = %q, want %q", got, want)
	}
}

func TestXMLSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tnewline\ncr\r", "tab\tnewline\ncr\r"},
		{"\x1b[1;31mbold red\x1b[0m", "bold red"},
		{"nul\x00", `nul\u0000`},
		{"bell\a vt\v", `bell\u0007 vt\u000B`},
		{"lone esc \x1b here", `lone esc \u001B here`},
		{"bad utf8 \xff", "bad utf8 \uFFFD"},
		{"nonchar \uFFFF", `nonchar \uFFFF`},
		{"<&\"'>", "<&\"'>"},
	}
	for _, tc := range tests {
		if got := xmlSafe(tc.in); got != tc.want {
			t.Errorf("xmlSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
