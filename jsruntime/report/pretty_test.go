package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestPrettyGolden(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(NewPretty(&buf, PrettyOptions{}), files, s); err != nil {
		t.Fatal(err)
	}
	golden(t, "pretty.txt", buf.Bytes())
}

func TestPrettyVerboseGolden(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(NewPretty(&buf, PrettyOptions{Verbose: true}), files, s); err != nil {
		t.Fatal(err)
	}
	golden(t, "pretty-verbose.txt", buf.Bytes())
}

func TestPrettyColors(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(NewPretty(&buf, PrettyOptions{Colors: true}), files, s); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"\x1b[32m✓\x1b[0m connects",      // pass mark in green
		"\x1b[31m✗ link works\x1b[0m",    // failure in red
		"\x1b[33m↓ rejects an old token", // skip in yellow
		"\x1b[32m- 2\x1b[0m",             // expected side of the diff
		"\x1b[31m+ 1\x1b[0m",             // received side of the diff
	} {
		if !strings.Contains(out, want) {
			t.Errorf("coloured output lacks %q", want)
		}
	}
	var plain bytes.Buffer
	if err := replay(NewPretty(&plain, PrettyOptions{}), files, s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Errorf("output without Colors has escape sequences")
	}
}

// TestPrettyParallelFiles interleaves two files' events: the first file to
// start streams, the second is held back and printed whole after it.
func TestPrettyParallelFiles(t *testing.T) {
	pass := func(name string) Test { return Test{Name: name, Status: Passed} }
	steps := []struct {
		do   func(r *Pretty)
		want string // everything written so far
	}{
		{func(r *Pretty) { r.FileStarted("a.test.js") }, "a.test.js\n"},
		{func(r *Pretty) { r.FileStarted("b.test.js") }, "a.test.js\n"},
		{func(r *Pretty) { r.TestFinished("b.test.js", pass("b1")) }, "a.test.js\n"},
		{func(r *Pretty) { r.TestFinished("a.test.js", pass("a1")) }, "a.test.js\n  ✓ a1 (0ms)\n"},
		{func(r *Pretty) { r.FileFinished(File{File: "b.test.js"}) }, "a.test.js\n  ✓ a1 (0ms)\n"},
		{func(r *Pretty) { r.FileStarted("c.test.js") }, "a.test.js\n  ✓ a1 (0ms)\n"},
		{func(r *Pretty) { r.FileFinished(File{File: "a.test.js"}) },
			"a.test.js\n  ✓ a1 (0ms)\n\nb.test.js\n  ✓ b1 (0ms)\n\nc.test.js\n"},
		{func(r *Pretty) { r.TestFinished("c.test.js", pass("c1")) },
			"a.test.js\n  ✓ a1 (0ms)\n\nb.test.js\n  ✓ b1 (0ms)\n\nc.test.js\n  ✓ c1 (0ms)\n"},
	}
	var buf bytes.Buffer
	r := NewPretty(&buf, PrettyOptions{})
	for i, st := range steps {
		st.do(r)
		if buf.String() != st.want {
			t.Fatalf("after step %d:\n%q\nwant\n%q", i, buf.String(), st.want)
		}
	}
}

// TestPrettyInterruptedRun prints what a file still running had when the run
// was stopped, and says the run was interrupted.
func TestPrettyInterruptedRun(t *testing.T) {
	var buf bytes.Buffer
	r := NewPretty(&buf, PrettyOptions{})
	r.FileStarted("a.test.js")
	r.FileStarted("b.test.js")
	r.TestFinished("b.test.js", Test{Name: "b1", Status: Passed})
	files := []File{{File: "b.test.js", Tests: []Test{{Name: "b1", Status: Passed}}}}
	s := Summarize(files, 0)
	s.Interrupted = true
	if err := r.Finished(files, s); err != nil {
		t.Fatal(err)
	}
	want := "a.test.js\nb.test.js\n  ✓ b1 (0ms)\nFiles: 1 passed, 1 total\nTests: 1 passed, 1 total  Time: 0.00s\nInterrupted: the run stopped before every file ran.\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

// TestSummaryFiles: the Files line counts a file by what its tests did: one a stop cut short
// is interrupted, one with no test run (all skipped, or none selected) is skipped, and files
// the run never started are "not run", so the total is every file asked for.
func TestSummaryFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		files  []File
		notRun int
		want   string
	}{
		{"passed and skipped", []File{{Tests: []Test{{Status: Passed}, {Status: Skipped}}}}, 0, "Files: 1 passed, 1 total\n"},
		{"bail cut it short", []File{{Tests: []Test{{Status: Failed}}}, {Tests: []Test{{Status: Passed}, {Status: Interrupted}, {Status: Skipped}}}}, 2,
			"Files: 1 failed, 1 interrupted, 2 not run, 4 total\n"},
		{"grep selected nothing", []File{{}, {Tests: []Test{{Status: Passed}}}}, 0, "Files: 1 passed, 1 skipped, 2 total\n"},
		{"every test skipped", []File{{Tests: []Test{{Status: Skipped}}}}, 0, "Files: 1 skipped, 1 total\n"},
		{"file error beats interrupted", []File{{Error: &Error{Message: "x"}, Tests: []Test{{Status: Interrupted}}}}, 0, "Files: 1 failed, 1 total\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			s := Summarize(tt.files, 0)
			s.FilesNotRun = tt.notRun
			if err := NewPretty(&buf, PrettyOptions{}).Finished(tt.files, s); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), tt.want) {
				t.Errorf("got\n%s\nwant a line %q", buf.String(), tt.want)
			}
		})
	}
}

func TestTestDuration(t *testing.T) {
	tests := []struct {
		ms   int64
		want string
	}{{0, "0ms"}, {12, "12ms"}, {999, "999ms"}, {1000, "1.00s"}, {1234, "1.23s"}, {61500, "61.50s"}}
	for _, tc := range tests {
		if got := testDuration(msec(tc.ms)); got != tc.want {
			t.Errorf("testDuration(%dms) = %q, want %q", tc.ms, got, tc.want)
		}
	}
}
