//go:build unix

package fileread

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path  string
		limit int64
		want  string // content, or the error's text
	}{
		{small, 5, "hello"},
		{link, 100, "hello"},
		{small, 4, "small.txt is 5 bytes, over the limit of 4"},
		{dir, 100, "is a folder, not a regular file"},
		{fifo, 100, "pipe is a FIFO, not a regular file"},
		{"/dev/zero", 100, "/dev/zero is a device, not a regular file"},
		{filepath.Join(dir, "missing"), 100, "no such file"},
	}
	for _, tt := range tests {
		b, err := Read(tt.path, tt.limit)
		switch {
		case err != nil && !strings.Contains(err.Error(), tt.want):
			t.Errorf("Read(%s, %d) = %v, want %q", tt.path, tt.limit, err, tt.want)
		case err == nil && string(b) != tt.want:
			t.Errorf("Read(%s, %d) = %q, want %q", tt.path, tt.limit, b, tt.want)
		}
	}
	var nr *NotRegularError
	if _, err := Check("/dev/zero", 100); !errors.As(err, &nr) {
		t.Errorf("Check(/dev/zero) = %v, want a *NotRegularError", err)
	}
	var tl *TooLargeError
	if _, err := Check(small, 1); !errors.As(err, &tl) || tl.Size != 5 || tl.Limit != 1 {
		t.Errorf("Check(small, 1) = %v, want a *TooLargeError of 5 bytes", err)
	}
}
