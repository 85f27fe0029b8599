package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs mailscript in-process with args and the given environment.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	st := &state{
		stdout: &out, stderr: &errb, stdin: strings.NewReader(""),
		getenv: func(k string) string { return env[k] },
		environ: func() []string {
			var kv []string
			for k, v := range env {
				kv = append(kv, k+"="+v)
			}
			return kv
		},
	}
	code = run(context.Background(), st, args)
	return code, out.String(), errb.String()
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunExitCodesAndReports(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"ok.test.js":             "test('adds', () => { expect(1 + 1).toBe(2); });\n",
		"fail.test.ts":           "const n: number = 2;\ntest('compares', () => {\n  expect(n).toBe(3);\n});\n",
		"linear.test.js":         "await sleep(1);\nexpect(env.GREETING).toBe('hi');\n",
		"helper.js":              "throw new Error('not a test file: never run');\n",
		"nested/x.spec.mjs":      "describe('group', () => { test.skip('later', () => {}); test('inner', () => {}); });\n",
		"node_modules/a.test.js": "throw new Error('ignored');\n",
	})
	// Report folders that do not exist yet are created.
	junit, jsonPath := filepath.Join(dir, "out", "ci", "junit.xml"), filepath.Join(dir, "reports", "report.json")
	code, stdout, stderr := runCLI(t, map[string]string{"GREETING": "hi"}, "run", dir, "--junit", junit, "--json", jsonPath, "--parallel", "2")
	if code != exitFailed {
		t.Fatalf("exit code %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"fail.test.ts:3:", "expect(n).toBe(3)", "Expected: 3", "Received: 2", "1 failed", "3 passed", "1 skipped"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("pretty output lacks %q:\n%s", want, stdout)
		}
	}
	var report struct {
		Summary struct{ Passed, Failed, Skipped int }
		Files   []struct {
			File  string
			Tests []struct{ Name, FullName, Status string }
		}
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &report); err != nil {
		t.Fatal(err)
	}
	if report.Summary.Passed != 3 || report.Summary.Failed != 1 || report.Summary.Skipped != 1 || len(report.Files) != 4 {
		t.Errorf("JSON report: %+v", report)
	}
	var suites struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	b, err = os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &suites); err != nil {
		t.Fatal(err)
	}
	if len(suites.Suites) != 4 {
		t.Errorf("JUnit has %d suites, want 4:\n%s", len(suites.Suites), b)
	}

	code, stdout, _ = runCLI(t, map[string]string{"GREETING": "hi"}, "run", filepath.Join(dir, "ok.test.js"), filepath.Join(dir, "linear.test.js"))
	if code != exitOK {
		t.Fatalf("passing files: exit %d\n%s", code, stdout)
	}
}

func TestRunUsageErrors(t *testing.T) {
	// An env file of an emulator no longer running: a port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + ln.Addr().String()
	ln.Close()
	dir := writeFiles(t, map[string]string{"ok.test.js": "test('x', () => {});\n",
		"stale.env": "# mailscript emulator at " + gone + "\nMAILSCRIPT_GRAPH_URL=" + gone + "\n"})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", filepath.Join(dir, "missing")}, "no such file or folder"},
		{[]string{"run", "--frobnicate", dir}, "unknown flag: --frobnicate"},
		{[]string{"run", "--reporter", "fancy", dir}, `--reporter "fancy": use pretty, dots, json, github or html`},
		{[]string{"run", "--shard", "4/3", dir}, "--shard must look like i/n"},
		{[]string{"run", "--grep", "(", dir}, "--grep"},
		{[]string{"run", "--timeout", "0s", dir}, "--timeout must be positive"},
		{[]string{"run", "--max-memory", "lots", dir}, `a memory size like 512MiB or 2GiB, not "lots"`},
		{[]string{"run", "--max-memory", "1MiB", dir}, "--max-memory must be at least 16 MiB"},
		{[]string{"repl", "--max-memory", "-2GiB"}, "a memory size like 512MiB"},
		{[]string{"run", "--env-file", filepath.Join(dir, "nope.env"), dir}, "--env-file"},
		{[]string{"run", "--env-file", filepath.Join(dir, "stale.env"), dir}, "stale.env was written by the emulator at " + gone + ", which is not running (connection refused): start it again with `mailscript emulator --env-file"},
		{[]string{"run", "--config", filepath.Join(dir, "nope.json"), dir}, "nope.json"},
		{[]string{"frob"}, `unknown command "frob"` + "\n"}, // nothing close: no suggestion
		{[]string{"rn", "x.test.js"}, `unknown command "rn" (did you mean run?)`},
		{[]string{"help", "emultor"}, `no help for "emultor" (did you mean emulator?)`},
		{[]string{"run", "--emulater", dir}, "unknown flag: --emulater (did you mean --emulator?)"},
		{[]string{"run", "--emulater=true", dir}, "unknown flag: --emulater (did you mean --emulator?)"},
		{[]string{"run", "-grep", "x", dir}, "(did you mean --grep?)"},
		{[]string{"emulator", "--prot", "0"}, "unknown flag: --prot (did you mean --port?)"},
		{[]string{"repl", "--no-histroy"}, "(did you mean --no-history?)"},
		{[]string{"run", "--reporter", "junit", dir}, "JUnit XML is a report file, written next to the console output with --junit FILE"},
		{[]string{"run", "--reporter", "prety", dir}, `--reporter "prety": use pretty, dots, json, github or html (did you mean pretty?)`},
		{nil, "Usage:"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, nil, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("mailscript %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestRunShardGrepAndEnvFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.test.js": "test('alpha one', () => {}); test('beta', () => {});\n",
		"b.test.js": "test('alpha two', () => { expect(env.FROM_FILE).toBe('yes \"quoted\"'); });\n",
		"c.test.js": "test('gamma', () => {});\n",
		"ci.env":    "# settings\nexport FROM_FILE=\"yes \\\"quoted\\\"\"\n",
	})
	seen := map[string]bool{}
	for _, shard := range []string{"1/2", "2/2"} {
		code, stdout, _ := runCLI(t, nil, "run", dir, "--shard", shard, "--grep", "alpha|gamma", "--env-file", filepath.Join(dir, "ci.env"), "--reporter", "json")
		if code != exitOK {
			t.Fatalf("shard %s: exit %d\n%s", shard, code, stdout)
		}
		var r struct {
			Files []struct {
				File  string
				Tests []struct{ Name string }
			}
		}
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("shard %s: %v\n%s", shard, err, stdout)
		}
		for _, f := range r.Files {
			for _, tc := range f.Tests {
				if seen[tc.Name] {
					t.Errorf("%s ran in two shards", tc.Name)
				}
				seen[tc.Name] = true
			}
		}
	}
	if len(seen) != 3 || seen["beta"] {
		t.Errorf("tests run across shards with --grep: %v", seen)
	}
}

// TestExamplesAgainstEmulator runs scripts/examples the way the README's first command does.
func TestExamplesAgainstEmulator(t *testing.T) {
	code, stdout, stderr := runCLI(t, nil, "run", "--emulator", "--reporter", "dots", filepath.Join("..", "..", "scripts", "examples"))
	if code != exitOK {
		t.Fatalf("examples failed (exit %d):\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "0 failed") && strings.Contains(stdout, "failed") {
		t.Fatalf("unexpected failures:\n%s", stdout)
	}
}

// TestInterruptStillWritesReports cancels a run (as Ctrl-C does) while a test waits, and
// checks that the run ends promptly with exit 130 and complete reports, the running test
// reported as interrupted rather than failed.
func TestInterruptStillWritesReports(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.test.js": "test('quick', () => {});\n",
		"b.test.js": "test('waits', async () => { await sleep('1m'); });\n",
	})
	junit := filepath.Join(dir, "junit.xml")
	ctx, cancel := context.WithCancelCause(context.Background())
	out := &syncBuffer{}
	st := &state{stdout: out, stderr: out, stdin: strings.NewReader(""), getenv: func(string) string { return "" }, environ: func() []string { return nil }}
	done := make(chan int)
	go func() { done <- run(ctx, st, []string{"run", "--parallel", "1", "--junit", junit, dir}) }()
	deadline := time.After(30 * time.Second)
	for !strings.Contains(out.String(), "quick") {
		select {
		case <-deadline:
			t.Fatal("the first file never reported")
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel(&signalError{sig: os.Interrupt}) // as main does on Ctrl-C
	select {
	case code := <-done:
		if code != 130 {
			t.Errorf("interrupted run exit %d, want 130", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after the interrupt")
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	// The interrupt may land while b.test.js is still loading or inside its test: either way
	// the file is reported, as interrupted.
	interrupted := strings.Contains(string(b), `<skipped message="interrupted">`) || strings.Contains(string(b), `type="Interrupted"`)
	if !strings.Contains(string(b), `name="quick"`) || !strings.Contains(string(b), "b.test.js") || !interrupted {
		t.Errorf("JUnit after interrupt lacks the tests:\n%s", b)
	}
}
