package jsruntime

import (
	"context"
	"strings"
	"testing"
)

// TestEach: test.each and describe.each declare a test (or suite) per case, named by the
// case's values, run with them, and located at the script's line.
func TestEach(t *testing.T) {
	t.Parallel()
	got := outcome(RunFile(context.Background(), "testdata/each.test.js", testOptions(), nil))
	want := []string{
		"add(1, 1) is 2: passed",
		"add(2, 3) is 5: passed",
		"mail to ada@example.com (case 0): failed: AssertionError: expect(received).toBeGreaterThan(expected)",
		"mail to bob@example.com (case 1): failed: AssertionError: expect(received).toBeGreaterThan(expected)",
		"on microsoft365 > the provider is named: passed",
		"on google > the provider is named: passed",
		`"a" and 'a' and a%: passed`,
		`"b" and %p and %s%: passed`, // a row that is no array is one value: one placeholder
	}
	if len(got) != len(want) {
		t.Fatalf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("result %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
	if !strings.HasSuffix(got[2], "@ testdata/each.test.js:6:13") {
		t.Errorf("a failing case is located at %q, want the expect in the script", got[2])
	}
}
