package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffPrintedOnce runs a failing deep comparison through every reporter: the diff (and
// the note that explains strings differing only in line endings) appears once in each.
func TestDiffPrintedOnce(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"diff.test.js": "test('object', () => { expect({ subject: 'Hi', to: 'a@x' }).toEqual({ subject: 'Hi', to: 'b@x' }); });\n" +
			"test('crlf', () => { expect('Hello\\r\\nWorld').toBe('Hello\\nWorld'); });\n",
	})
	junit := filepath.Join(dir, "junit.xml")
	for _, reporter := range []string{"pretty", "dots", "junit"} {
		t.Run(reporter, func(t *testing.T) {
			args := []string{"run", dir, "--reporter", reporter}
			if reporter == "junit" {
				args = []string{"run", dir, "--reporter", "dots", "--junit", junit}
			}
			code, stdout, stderr := runCLI(t, nil, args...)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
			}
			out := stdout
			if reporter == "junit" {
				b, err := os.ReadFile(junit)
				if err != nil {
					t.Fatal(err)
				}
				out = string(b)
			}
			for _, line := range []string{"+   to: 'a@x'", "the strings differ only in line endings (LF vs CRLF)", `+ Hello\r`} {
				if n := strings.Count(out, line); n != 1 {
					t.Errorf("%q appears %d times, want once:\n%s", line, n, out)
				}
			}
		})
	}
}

// TestNoTestsFound: a run that selects no test fails (exit 1) and says why, unless
// --pass-with-no-tests; an empty shard still writes its reports.
func TestNoTestsFound(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"a.test.js":     "test('alpha', () => {});\n",
		"b.test.js":     "test('beta', () => {});\n",
		"empty/util.js": "export const x = 1;\n",
	})
	tests := []struct {
		name string
		args []string
		code int
		want string
		// files is the summary's Files line: a file --grep selects nothing in passed nothing.
		files string
	}{
		{"grep matches nothing", []string{"run", dir, "--grep", "gamma"}, exitFailed, `no tests found: --grep "gamma" matches no test name`, "Files: 2 skipped, 2 total\n"},
		{"grep with pass-with-no-tests", []string{"run", dir, "--grep", "gamma", "--pass-with-no-tests"}, exitOK, "no tests found", "Files: 2 skipped, 2 total\n"},
		{"empty shard", []string{"run", dir, "--shard", "3/4"}, exitFailed, "no tests found: shard 3/4 has no files: 2 test files make fewer than 4 shards", "Files: 0 total\n"},
		{"no test files", []string{"run", filepath.Join(dir, "empty")}, exitFailed, "no tests found: no test files in " + filepath.Join(dir, "empty"), "Files: 0 total\n"},
		{"tests found", []string{"run", dir, "--grep", "alpha"}, exitOK, "", "Files: 1 passed, 1 skipped, 2 total\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reports := t.TempDir()
			junit, jsonPath := filepath.Join(reports, "junit.xml"), filepath.Join(reports, "report.json")
			code, stdout, stderr := runCLI(t, nil, append(tt.args, "--junit", junit, "--json", jsonPath)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || (tt.want == "" && stderr != "") {
				t.Errorf("exit %d, stderr %q; want exit %d and %q\n%s", code, stderr, tt.code, tt.want, stdout)
			}
			if !strings.Contains(stdout, tt.files) {
				t.Errorf("summary lacks %q:\n%s", tt.files, stdout)
			}
			for _, path := range []string{junit, jsonPath} {
				if b, err := os.ReadFile(path); err != nil || len(b) == 0 {
					t.Errorf("report %s not written: %v", path, err)
				}
			}
		})
	}
}

// TestForbidOnly: test.only fails the run when CI is set (not "false" or "0") or with
// --forbid-only, naming where each .only is.
func TestForbidOnly(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"a.test.js": "test('a', () => {});\n",
		"f.test.js": "test('b', () => {});\ntest.only('c', () => {});\n",
	})
	tests := []struct {
		env  map[string]string
		args []string
		code int
	}{
		{map[string]string{"CI": "true"}, nil, exitFailed},
		{map[string]string{"CI": "1"}, nil, exitFailed},
		{map[string]string{"CI": "false"}, nil, exitOK},
		{map[string]string{"CI": "0"}, nil, exitOK},
		{nil, nil, exitOK},
		{nil, []string{"--forbid-only"}, exitFailed},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, tt.env, append([]string{"run", dir}, tt.args...)...)
		if code != tt.code {
			t.Errorf("CI=%q %v: exit %d, want %d\n%s%s", tt.env["CI"], tt.args, code, tt.code, stdout, stderr)
		}
		if failed := strings.Contains(stdout, "test.only at "+filepath.Join(dir, "f.test.js")+":2:6"); failed != (tt.code == exitFailed) {
			t.Errorf("CI=%q %v: output names the .only: %v\n%s", tt.env["CI"], tt.args, failed, stdout)
		}
	}
}

// TestRetriesReportFlaky runs a test that passes on its second attempt with --retries 1: the
// run passes, and every reporter calls the test flaky.
func TestRetriesReportFlaky(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"late.test.js": "let n = 0;\ntest('mail is late', () => {\n  n++;\n  if (n === 1) throw new Error('no mail yet');\n});\n" +
			"test('never', () => { throw new Error('broken'); });\n",
	})
	junit, jsonPath := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, nil, "run", dir, "--retries", "1", "--junit", junit, "--json", jsonPath)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 for the test that never passes\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"± mail is late", "flaky: passed on attempt 2", "1 failed, 1 flaky", "attempt 1: Error: no mail yet", "never (failed all 2 attempts)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("pretty output lacks %q:\n%s", want, stdout)
		}
	}
	b, _ := os.ReadFile(jsonPath)
	for _, want := range []string{`"status": "flaky"`, `"flaky": 1`, `"message": "no mail yet"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON report lacks %q:\n%s", want, b)
		}
	}
	b, _ = os.ReadFile(junit)
	for _, want := range []string{`<flakyFailure message="no mail yet" type="Error">`, `<rerunFailure message="broken" type="Error">`, "<stackTrace>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JUnit report lacks %q:\n%s", want, b)
		}
	}
	_, stdout, _ = runCLI(t, nil, "run", dir, "--retries", "1", "--reporter", "dots", "--grep", "late")
	if !strings.Contains(stdout, "±") || !strings.Contains(stdout, "1 flaky") {
		t.Errorf("dots output does not show the flaky test:\n%s", stdout)
	}
}

// TestGitHubReporter writes an annotation at the failing line of the user's TypeScript
// source, beside the usual pretty summary.
func TestGitHubReporter(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"gh.test.ts": "type Mail = { subject: string };\nconst m: Mail = { subject: 'Reset, 50% off' };\n\ntest('subject', () => {\n  expect(m.subject).toBe('Reset');\n});\n",
	})
	code, stdout, _ := runCLI(t, nil, "run", dir, "--reporter", "github")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s", code, stdout)
	}
	file := filepath.Join(dir, "gh.test.ts")
	want := "::error file=" + escapeForTest(file) + ",line=5,col=21,title=" + escapeForTest(file) + " › subject::AssertionError: expect(received).toBe(expected) // Object.is equality%0A%0AExpected: 'Reset'%0AReceived: 'Reset, 50%25 off'\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("no annotation %q in:\n%s", want, stdout)
	}
	if !strings.Contains(stdout, "Tests: 1 failed") {
		t.Errorf("no pretty summary:\n%s", stdout)
	}
}

func escapeForTest(s string) string {
	return strings.NewReplacer(":", "%3A", ",", "%2C").Replace(s)
}

// TestBailInterruptsRunningTests: a test still running in another file when --bail stops the
// run is reported as interrupted, not failed, and so is its file; a file never started is "not run".
func TestBailInterruptsRunningTests(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"a.test.js": "test('fails', async () => { await sleep(200); throw new Error('boom'); });\n",
		"b.test.js": "test('waits', async () => { await sleep('1m'); });\ntest('after', () => {});\n",
		"c.test.js": "test('never started', () => {});\n",
	})
	jsonPath := filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, nil, "run", dir, "--bail", "--parallel", "2", "--json", jsonPath)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "⊘ waits (interrupted)") || !strings.Contains(stdout, "Tests: 1 failed, 1 skipped, 1 interrupted, 3 total") {
		t.Errorf("pretty output does not show the interrupted test:\n%s", stdout)
	}
	// b neither passed nor failed; c, which bail kept from starting, still counts.
	if !strings.Contains(stdout, "Files: 1 failed, 1 interrupted, 1 not run, 3 total\n") {
		t.Errorf("files summary is not what ran:\n%s", stdout)
	}
	b, _ := os.ReadFile(jsonPath)
	if !strings.Contains(string(b), `"status": "interrupted"`) {
		t.Errorf("JSON report lacks the interrupted status:\n%s", b)
	}
}
