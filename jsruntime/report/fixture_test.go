package report

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var (
	_ Reporter = (*Pretty)(nil)
	_ Reporter = (*Dots)(nil)
	_ Reporter = (*JSON)(nil)
	_ Reporter = (*JUnit)(nil)
)

// fixture is a run with every kind of result: passes, a nested describe, an
// assertion failure with a diff, a provider error, a skip, a file that fails
// to load, and output that XML cannot hold as is.
func fixture() ([]File, Summary) {
	files := []File{
		{
			File:     "tests/reset.test.js",
			Duration: 1450 * time.Millisecond,
			Tests: []Test{
				{Name: "connects", Status: Passed, Duration: 12 * time.Millisecond, Output: "connected to qa@example.com\n"},
				{Name: "mail arrives", Path: []string{"reset flow"}, Status: Passed, Duration: 1234 * time.Millisecond},
				{Name: "link works", Path: []string{"reset flow"}, Status: Failed, Duration: 30 * time.Millisecond,
					Output: "checking 1 link\n",
					Error: &Error{
						Name:     "AssertionError",
						Message:  "expect(received).toBe(expected)",
						Diff:     "- Expected\n+ Received\n\n- 2\n+ 1",
						Location: "tests/reset.test.js:12:24",
						Source:   "  11 |   const links = msg.links;\n> 12 |   expect(links.length).toBe(2);\n     |                        ^",
						Stack:    "AssertionError: expect(received).toBe(expected)\n    at tests/reset.test.js:12:24\n    at tests/reset.test.js:9:3",
					}},
				{Name: "rejects an old token", Path: []string{"reset flow", "expired"}, Status: Skipped},
				{Name: "mail is late", Path: []string{"reset flow"}, Status: Passed, Duration: 3200 * time.Millisecond,
					Output: "waiting\nwaiting\n",
					Retries: []*Error{{Name: "TimeoutError", Message: "waitFor timed out after 1s", Code: "TIMEOUT",
						Location: "tests/reset.test.js:15:20", Stack: "    at tests/reset.test.js:15:20"}}},
				{Name: "never arrives", Path: []string{"reset flow"}, Status: Failed, Duration: 3100 * time.Millisecond,
					Retries: []*Error{
						{Name: "TimeoutError", Message: "attempt 1 timed out", Location: "tests/reset.test.js:18:20"},
						{Name: "TimeoutError", Message: "attempt 2 timed out", Location: "tests/reset.test.js:18:20"},
					},
					Error: &Error{Name: "TimeoutError", Message: "attempt 3 timed out", Location: "tests/reset.test.js:18:20"}},
				{Name: "waits for the reply", Status: Interrupted, Duration: 900 * time.Millisecond,
					Error: &Error{Name: "Interrupted", Message: "the run was stopped before this finished", Location: "tests/reset.test.js:25:3"}},
				{Name: "signs out", Status: Failed, Duration: 2500 * time.Millisecond,
					Error: &Error{
						Name:    "Error",
						Code:    "AUTH_FAILED",
						Message: "the client secret was rejected by Microsoft Entra (AADSTS7000215): check MAILSCRIPT_M365_CLIENT_SECRET",
						Stack:   "    at tests/reset.test.js:20:9",
					}},
			},
		},
		{
			File:     "tests/broken.test.ts",
			Duration: 3 * time.Millisecond,
			Output:   "loading\n",
			Error: &Error{
				Name:     "SyntaxError",
				Message:  "Unexpected token (3:5)",
				Location: "tests/broken.test.ts:3:5",
				Source:   "> 3 | let = 5;\n    |     ^",
			},
		},
		{
			File:     "tests/odd <chars> & more.test.js",
			Duration: 7 * time.Millisecond,
			Output:   "file-level \x1b[33mlog\x1b[0m\n",
			Tests: []Test{
				{Name: `quotes "and" <tags> & bell` + "\a", Status: Passed, Duration: 5 * time.Millisecond,
					Output: "\x1b[31mred\x1b[0m nul\x00 form\x0c feed \uFFFE end ]]> cdata\n"},
				{Name: "fails oddly", Status: Failed, Duration: 2 * time.Millisecond,
					Error: &Error{Name: "TypeError", Message: "bad \x01 char <b>", Stack: "    at tests/odd <chars> & more.test.js:4:1"}},
			},
		},
	}
	return files, Summarize(files, 1500*time.Millisecond)
}

// replay feeds a reporter the events of a sequential run of files.
func replay(r Reporter, files []File, s Summary) error {
	for _, f := range files {
		r.FileStarted(f.File)
		for _, t := range f.Tests {
			started := t
			started.Status, started.Duration = "", 0
			r.TestStarted(f.File, started)
			r.TestFinished(f.File, t)
		}
		r.FileFinished(f)
	}
	return r.Finished(files, s)
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
