package jsruntime

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// fallbackMemory is assumed where the machine's memory cannot be read (not Linux).
const fallbackMemory = 8 << 30

// totalMemory is the memory this process may use: the machine's, or the container's
// (cgroup v2 memory.max, or v1 limit_in_bytes) when that is lower.
func totalMemory() uint64 {
	total := uint64(fallbackMemory)
	if n, ok := memTotal("/proc/meminfo"); ok {
		total = n
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n < total {
			total = n // "max" (no limit) does not parse
		}
	}
	return total
}

// memTotal reads MemTotal from /proc/meminfo ("MemTotal:  16318480 kB").
func memTotal(path string) (uint64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			n, err := strconv.ParseUint(fields[1], 10, 64)
			return n << 10, err == nil && n > 0
		}
	}
	return 0, false
}
