package open_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/bindings/open"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/jsruntime/report"
)

func TestOpen(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{"expect(open('data.txt')).toBe('héllo\\n')", ""},
		{"const b = open('data.txt', 'b'); expect(b instanceof Uint8Array).toBe(true); expect(Array.from(b)).toEqual([104, 195, 169, 108, 108, 111, 10])", ""},
		{"open('nope.txt')", `Error: open: cannot read "nope.txt" (DIR/nope.txt): no such file or directory; relative paths start from the script's folder`},
		{"open('.')", `TypeError: open: ".": DIR is a folder, not a regular file: name a file`},
		{"open('/dev/zero')", `TypeError: open: "/dev/zero": /dev/zero is a device, not a regular file: name a file`},
		{"open('big.bin', 'b')", `RangeError: open: "big.bin" (DIR/big.bin) is larger than 100.0 MB, the most open() reads`},
		{"open('data.txt', 'rb')", `TypeError: open(path, mode?): mode must be 'b' for bytes or left out for text, not "rb"`},
		{"open()", "TypeError: open(path, mode?): path must be a non-empty string, like open('fixtures/body.html')"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			// The script sits in its own folder so that open() resolves against it.
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "data.txt"), []byte("héllo\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			// One byte over the limit, sparse: it takes no room on disk.
			if err := os.WriteFile(filepath.Join(dir, "big.bin"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(filepath.Join(dir, "big.bin"), open.MaxBytes+1); err != nil {
				t.Fatal(err)
			}
			script := filepath.Join(dir, "open.test.js")
			if err := os.WriteFile(script, []byte(tt.src), 0o600); err != nil {
				t.Fatal(err)
			}
			f := jsruntime.RunFile(t.Context(), script, jsruntime.Options{WorkDir: dir}, nil)
			if tt.wantErr == "" {
				jsruntimetest.RequirePassed(t, f)
				return
			}
			want := strings.ReplaceAll(tt.wantErr, "DIR", dir)
			if len(f.Tests) != 1 || f.Tests[0].Status != report.Failed || f.Tests[0].Error.Name+": "+f.Tests[0].Error.Message != want {
				t.Fatalf("results = %+v, want one failure: %s", f.Tests, want)
			}
		})
	}
}
