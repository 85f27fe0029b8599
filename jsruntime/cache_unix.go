//go:build unix

package jsruntime

import (
	"os"
	"syscall"
)

// privateDir reports whether dir belongs to the current user and only they can write to it.
func privateDir(dir string) bool {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() || st.Mode().Perm()&0o022 != 0 {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == os.Getuid()
}
