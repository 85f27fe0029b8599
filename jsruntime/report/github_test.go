package report

import (
	"bytes"
	"testing"
)

var _ Reporter = (*GitHub)(nil)

func TestGitHubGolden(t *testing.T) {
	t.Parallel()
	files, s := fixture()
	var buf bytes.Buffer
	if err := replay(NewGitHub(&buf), files, s); err != nil {
		t.Fatal(err)
	}
	golden(t, "github.txt", buf.Bytes())
}

// TestGitHubEscaping follows the workflow command rules: %, CR and LF in the message, and
// also : and , in properties.
func TestGitHubEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100% done", "100%25 done", "100%25 done"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"a:b,c", "a:b,c", "a%3Ab%2Cc"},
		{"%0A literal", "%250A literal", "%250A literal"},
	}
	for _, tc := range tests {
		if got := escapeData(tc.in); got != tc.data {
			t.Errorf("escapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := escapeProperty(tc.in); got != tc.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}
