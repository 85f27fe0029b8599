package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func msec(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

func TestDotsGolden(t *testing.T) {
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(NewDots(&buf, PrettyOptions{}), files, s); err != nil {
		t.Fatal(err)
	}
	golden(t, "dots.txt", buf.Bytes())
}

func TestDotsWrap(t *testing.T) {
	tests := []struct {
		n         int
		wantLines []int // marks per progress line
	}{{1, []int{1}}, {80, []int{80}}, {81, []int{80, 1}}, {200, []int{80, 80, 40}}}
	for _, tc := range tests {
		f := File{File: "many.test.js"}
		for range tc.n {
			f.Tests = append(f.Tests, Test{Name: "t", Status: Passed})
		}
		var buf bytes.Buffer
		if err := replay(NewDots(&buf, PrettyOptions{}), []File{f}, Summarize([]File{f}, 0)); err != nil {
			t.Fatal(err)
		}
		progress, _, _ := strings.Cut(buf.String(), "\n\n")
		var got []int
		for _, l := range strings.Split(progress, "\n") {
			got = append(got, len(l))
		}
		if len(got) != len(tc.wantLines) {
			t.Errorf("%d tests: lines %v, want %v", tc.n, got, tc.wantLines)
			continue
		}
		for i := range got {
			if got[i] != tc.wantLines[i] {
				t.Errorf("%d tests: lines %v, want %v", tc.n, got, tc.wantLines)
				break
			}
		}
	}
}
