package discover

import (
	"fmt"
	"slices"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in      string
		i, n    int
		wantErr bool
	}{
		{"1/1", 1, 1, false}, {"2/3", 2, 3, false}, {"3/3", 3, 3, false}, {"10/12", 10, 12, false},
		{"0/3", 0, 0, true}, {"4/3", 0, 0, true}, {"-1/3", 0, 0, true}, {"1/0", 0, 0, true},
		{"2", 0, 0, true}, {"", 0, 0, true}, {"a/b", 0, 0, true}, {"1/2/3", 0, 0, true}, {" 1/2", 0, 0, true},
	}
	for _, tc := range tests {
		i, n, err := ParseShard(tc.in)
		if tc.wantErr {
			want := fmt.Sprintf("--shard must look like i/n with 1 <= i <= n, like 2/3 (got %q)", tc.in)
			if err == nil || err.Error() != want {
				t.Errorf("ParseShard(%q) error = %v, want %q", tc.in, err, want)
			}
			continue
		}
		if err != nil || i != tc.i || n != tc.n {
			t.Errorf("ParseShard(%q) = %d, %d, %v; want %d, %d", tc.in, i, n, err, tc.i, tc.n)
		}
	}
}

func TestShard(t *testing.T) {
	files := []string{"e.test.js", "a.test.js", "d.test.js", "b.test.js", "c.test.js"}
	tests := []struct {
		i, n int
		want []string
	}{
		{1, 1, []string{"a.test.js", "b.test.js", "c.test.js", "d.test.js", "e.test.js"}},
		{1, 2, []string{"a.test.js", "c.test.js", "e.test.js"}},
		{2, 2, []string{"b.test.js", "d.test.js"}},
		{1, 3, []string{"a.test.js", "d.test.js"}},
		{3, 3, []string{"c.test.js"}},
		{7, 7, nil},
	}
	for _, tc := range tests {
		if got := Shard(files, tc.i, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("Shard(%d/%d) = %q, want %q", tc.i, tc.n, got, tc.want)
		}
	}
	if files[0] != "e.test.js" {
		t.Errorf("Shard reordered its input")
	}
}

// TestShardPartition checks every file lands in exactly one shard whatever
// the input order, and shard sizes differ by at most one.
func TestShardPartition(t *testing.T) {
	for _, count := range []int{0, 1, 5, 17} {
		var files []string
		for k := range count {
			files = append(files, fmt.Sprintf("f%02d.test.js", (k*7)%count))
		}
		for n := 1; n <= 6; n++ {
			seen := map[string]int{}
			minSize, maxSize := count, 0
			for i := 1; i <= n; i++ {
				shard := Shard(files, i, n)
				minSize, maxSize = min(minSize, len(shard)), max(maxSize, len(shard))
				for _, f := range shard {
					seen[f]++
				}
			}
			for _, f := range files {
				if seen[f] != 1 {
					t.Errorf("%d files, n=%d: %s is in %d shards", count, n, f, seen[f])
				}
			}
			if count > 0 && maxSize-minSize > 1 {
				t.Errorf("%d files, n=%d: shard sizes range %d..%d", count, n, minSize, maxSize)
			}
		}
	}
}

func TestShardPanicsOutOfRange(t *testing.T) {
	for _, in := range [][2]int{{0, 3}, {4, 3}, {1, 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Shard(%d/%d) did not panic", in[0], in[1])
				}
			}()
			Shard([]string{"a"}, in[0], in[1])
		}()
	}
}
