// Command maxrss runs a command and writes its wall time (ns) and peak resident memory (KiB)
// to a file: maxrss OUTFILE COMMAND [ARGS...]. BenchmarkCLIOneTest runs mailscript through it
// because a child's peak RSS starts at its parent's: Go starts processes with vfork, and exec
// records the memory the child shared with its parent until then, so measured straight from a
// test binary every run would weigh at least as much as the test binary. This parent is small.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: maxrss OUTFILE COMMAND [ARGS...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var kib int64
	if ru != nil {
		kib = ru.Maxrss
	}
	if werr := os.WriteFile(os.Args[1], fmt.Appendf(nil, "%d %d\n", wall.Nanoseconds(), kib), 0o644); werr != nil {
		fmt.Fprintln(os.Stderr, werr)
		os.Exit(2)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
