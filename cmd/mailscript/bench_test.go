package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCLIOneTest measures what a user waits for: the built binary running a file with one
// test, from exec to exit. It reports the median wall time and the peak resident memory
// (targets: under 20 ms and 30 MB on a 2-core machine).
func BenchmarkCLIOneTest(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "mailscript")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "one.test.js")
	if err := os.WriteFile(file, []byte("test('adds', () => { expect(1 + 1).toBe(2); });\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	var walls []time.Duration
	var peakKB int64
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, "run", "--reporter", "dots", file)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("mailscript run: %v\n%s", err, out)
		}
		walls = append(walls, time.Since(start))
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKB = max(peakKB, ru.Maxrss)
		}
	}
	slices.Sort(walls)
	b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(peakKB)/1024, "peak-MB")
}
