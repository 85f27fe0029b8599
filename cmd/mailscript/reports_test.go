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
	}{
		{"grep matches nothing", []string{"run", dir, "--grep", "gamma"}, exitFailed, `no tests found: --grep "gamma" matches no test name`},
		{"grep with pass-with-no-tests", []string{"run", dir, "--grep", "gamma", "--pass-with-no-tests"}, exitOK, "no tests found"},
		{"empty shard", []string{"run", dir, "--shard", "3/4"}, exitFailed, "no tests found: shard 3/4 has no files: 2 test files make fewer than 4 shards"},
		{"no test files", []string{"run", filepath.Join(dir, "empty")}, exitFailed, "no tests found: no test files in " + filepath.Join(dir, "empty")},
		{"tests found", []string{"run", dir, "--grep", "alpha"}, exitOK, ""},
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
