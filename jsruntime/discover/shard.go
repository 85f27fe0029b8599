package discover

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseShard reads a --shard value "i/n" (1 <= i <= n).
func ParseShard(s string) (i, n int, err error) {
	bad := fmt.Errorf("--shard must look like i/n with 1 <= i <= n, like 2/3 (got %q)", s)
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, bad
	}
	i, errI := strconv.Atoi(is)
	n, errN := strconv.Atoi(ns)
	if errI != nil || errN != nil || i < 1 || i > n {
		return 0, 0, bad
	}
	return i, n, nil
}

// Shard returns the files of shard i of n (1-based): the sorted list dealt
// round-robin, so shards differ in size by at most one file and every file
// lands in exactly one shard. Round-robin rather than a hash because it
// balances small suites, and every machine of a CI matrix discovers the same
// sorted list anyway. Adding a file can move others to another shard.
// It panics unless 1 <= i <= n: ParseShard checks user input.
func Shard(files []string, i, n int) []string {
	if i < 1 || i > n {
		panic(fmt.Sprintf("discover.Shard: shard %d/%d out of range", i, n))
	}
	sorted := slices.Sorted(slices.Values(files))
	var out []string
	for k := i - 1; k < len(sorted); k += n {
		out = append(out, sorted[k])
	}
	return out
}
