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
// test, from exec to exit. It reports the median wall time, the peak resident memory (targets:
// under 20 ms and 30 MB on a 2-core machine) and the binary's size, for the release build
// (static, as the README installs it) and for a plain `go build` (which links libc through cgo),
// each compiling the script every time (cold) and reusing the cached bundle (warm).
func BenchmarkCLIOneTest(b *testing.B) {
	dir := b.TempDir()
	file := filepath.Join(dir, "one.test.js")
	if err := os.WriteFile(file, []byte("test('adds', () => { expect(1 + 1).toBe(2); });\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, build := range []struct {
		name string
		env  []string
		args []string
	}{
		{"release", []string{"CGO_ENABLED=0"}, []string{"-trimpath"}},
		{"go-build", nil, nil},
	} {
		b.Run(build.name, func(b *testing.B) {
			bin := filepath.Join(dir, "mailscript-"+build.name)
			cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, build.args...), ".")...)
			cmd.Env = append(os.Environ(), build.env...)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("go build: %v\n%s", err, out)
			}
			for _, cache := range []struct{ name, dir string }{{"cold", "off"}, {"warm", b.TempDir()}} {
				b.Run(cache.name, func(b *testing.B) { benchCLI(b, bin, file, "MAILSCRIPT_CACHE_DIR="+cache.dir) })
			}
		})
	}
}

func benchCLI(b *testing.B, bin, file string, env ...string) {
	info, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	// One run first, not measured: it fills the page cache and, when warm, the bundle cache.
	warm := exec.Command(bin, "run", "--reporter", "dots", file)
	warm.Env = append(os.Environ(), env...)
	if out, err := warm.CombinedOutput(); err != nil {
		b.Fatalf("mailscript run: %v\n%s", err, out)
	}
	var walls []time.Duration
	var peakKB int64
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, "run", "--reporter", "dots", file)
		cmd.Env = append(os.Environ(), env...)
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
	b.ReportMetric(float64(peakKB)/1024, "peak-MiB")
	b.ReportMetric(float64(info.Size())/(1<<20), "binary-MiB")
}
