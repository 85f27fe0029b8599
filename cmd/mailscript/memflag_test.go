package main

import (
	"strings"
	"testing"
)

func TestMemorySize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
	}{
		{"512MiB", 512 << 20},
		{"2GiB", 2 << 30},
		{"1.5g", 3 << 29},
		{"800MB", 800e6},
		{"64", 64 << 20},
		{" 1 GB ", 1e9},
		{"20000KiB", 20000 << 10},
	}
	for _, tt := range tests {
		var m memorySize
		if err := m.Set(tt.in); err != nil || int64(m) != tt.want {
			t.Errorf("Set(%q) = %d, %v; want %d", tt.in, m, err, tt.want)
		}
	}
	for _, bad := range []string{"", "lots", "0", "-1GiB", "1MiB", "NaN", "Inf", "1e30GiB"} {
		var m memorySize
		if err := m.Set(bad); err == nil {
			t.Errorf("Set(%q) = %d, want an error", bad, m)
		}
	}
}

// TestRunOutOfMemory: a runaway test fails with the out-of-memory error at the budget the
// flag sets, and the file's next test runs.
func TestRunOutOfMemory(t *testing.T) {
	dir := writeFiles(t, map[string]string{"grow.test.js": `
test('grows', () => { const a = []; for (;;) a.push(new Uint8Array(1 << 20)); });
test('after', () => { expect(1).toBe(1); });
`})
	code, stdout, stderr := runCLI(t, nil, "run", "--no-cache", "--no-color", "--parallel", "1", "--max-memory", "48MiB", dir)
	if code != 1 || !strings.Contains(stdout, "out of memory: the test used more than 48 MiB (raise --max-memory)") || !strings.Contains(stdout, "1 passed") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
