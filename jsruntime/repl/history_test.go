package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrepareHistory(t *testing.T) {
	t.Parallel()
	noSecret := func(l string) bool { return !strings.Contains(l, "hunter2-secret") }
	tests := []struct {
		name, before, after string
		mode                os.FileMode // of the file before; 0 means none
	}{
		{name: "a new file is private", after: ""},
		{name: "an old 0644 file is made private", before: "1 + 1\n", after: "1 + 1\n", mode: 0o644},
		{name: "lines with a secret are dropped", before: "a\nmail.connect('x', {clientSecret: 'hunter2-secret'})\nb\n", after: "a\nb\n", mode: 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "history")
			if tt.mode != 0 {
				if err := os.WriteFile(path, []byte(tt.before), tt.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.mode); err != nil {
					t.Fatal(err)
				}
			}
			if err := prepareHistory(path, noSecret); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			if b, _ := os.ReadFile(path); string(b) != tt.after {
				t.Errorf("content %q, want %q", b, tt.after)
			}
		})
	}
}
