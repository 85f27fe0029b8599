package jsruntime

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/jsruntime/report"
)

// TestOutOfMemory runs tests that grow without end under a small budget: each ends with the
// out-of-memory error instead of its (long) timeout, and the next test still runs. It is not
// parallel: the budget bounds the whole process's heap (see memory.go), which other tests
// running at the same time would share.
func TestOutOfMemory(t *testing.T) {
	opts := testOptions()
	opts.Timeout = 10 * time.Minute
	opts.MaxMemory = 64 << 20
	f := RunFile(context.Background(), "testdata/memory.test.js", opts, nil)
	got := outcome(f)
	const oom = "failed: OutOfMemoryError: out of memory: the test used more than 64 MiB (raise --max-memory)"
	want := []string{
		"grows forever: " + oom + " @ testdata/memory.test.js:3:",
		"grows forever in an async test: " + oom + " @ testdata/memory.test.js:9:",
		"runs after: passed",
	}
	if len(got) != len(want) {
		t.Fatalf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("result %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
	if i := slices.IndexFunc(f.Tests, func(t report.Test) bool { return t.Status != report.Passed && t.Error == nil }); i >= 0 {
		t.Errorf("test %d failed without an error", i)
	}
}

func TestMaxMemoryDefaults(t *testing.T) {
	t.Parallel()
	one, four := DefaultMaxMemory(1), DefaultMaxMemory(4)
	if one < minMaxMemory || four < minMaxMemory || four > one {
		t.Errorf("DefaultMaxMemory(1) = %d, (4) = %d: want at least %d, shrinking with parallel files", one, four, minMaxMemory)
	}
	if total := totalMemory(); uint64(one) > total/2 {
		t.Errorf("DefaultMaxMemory(1) = %d, above half the memory %d", one, total)
	}
	if err := CheckMaxMemory(1 << 20); err == nil || !strings.Contains(err.Error(), "--max-memory must be at least 16 MiB") {
		t.Errorf("CheckMaxMemory(1 MiB) = %v", err)
	}
}
