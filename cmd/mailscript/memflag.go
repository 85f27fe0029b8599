package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/jsruntime"
)

// memorySize is the value of --max-memory: a size such as 512MiB, 2GiB, 1.5GB or 800MB; a
// bare number is MiB. Zero means the default, which depends on --parallel.
type memorySize int64

var sizeUnits = []struct {
	suffix string
	scale  float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30},
}

func (m *memorySize) Set(s string) error {
	v := strings.ToLower(strings.TrimSpace(s))
	scale := float64(1 << 20)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(v, u.suffix); ok {
			v, scale = strings.TrimSpace(rest), u.scale
			break
		}
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || n*scale > math.MaxInt64 {
		return fmt.Errorf("a memory size like 512MiB or 2GiB, not %q", s)
	}
	size := int64(n * scale)
	if err := jsruntime.CheckMaxMemory(size); err != nil {
		return err
	}
	*m = memorySize(size)
	return nil
}

func (m *memorySize) String() string {
	if *m == 0 {
		return ""
	}
	return fmt.Sprintf("%dMiB", int64(*m)>>20)
}

func (m *memorySize) Type() string { return "size" }

// bytes is the budget for parallel VMs: the flag's, or the default share of the memory.
func (m memorySize) bytes(parallel int) int64 {
	if m > 0 {
		return int64(m)
	}
	return jsruntime.DefaultMaxMemory(parallel)
}

const maxMemoryUsage = "memory each test file's VM may use before its test fails as out of memory, like 512MiB or 2GiB (default: half the machine's memory shared by --parallel)"
