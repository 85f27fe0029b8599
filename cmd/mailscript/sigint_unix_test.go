//go:build unix

package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCtrlCExits130 sends SIGINT to the built binary while a test waits: the process exits
// 130, after writing reports that call the running test interrupted.
func TestCtrlCExits130(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := writeFiles(t, map[string]string{
		"a.test.js": "test('quick', () => {});\n",
		"b.test.js": "test('waits', async () => { await sleep('1m'); });\n",
	})
	bin := filepath.Join(t.TempDir(), "mailscript")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	jsonPath := filepath.Join(dir, "out", "report.json")
	cmd := exec.Command(bin, "run", "--parallel", "1", "--no-cache", "--json", jsonPath, dir)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "CI=")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "quick") {
		if time.Now().After(deadline) {
			t.Fatalf("the first file never reported:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // b.test.js loads and starts its test meanwhile
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit %v, want status 130\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "⊘ waits (interrupted)") {
		t.Errorf("pretty output does not show the interrupted test:\n%s", out.String())
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Summary struct{ Passed, Failed, Interrupted int }
	}
	if err := json.Unmarshal(b, &rep); err != nil || rep.Summary.Passed != 1 || rep.Summary.Failed != 0 || rep.Summary.Interrupted != 1 {
		t.Errorf("JSON report %+v (%v), want 1 passed, 0 failed, 1 interrupted:\n%s", rep.Summary, err, b)
	}
}
