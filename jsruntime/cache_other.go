//go:build !unix

package jsruntime

import "os"

// privateDir reports whether dir is a folder; elsewhere than Unix its access is left to the
// system's ACLs, which a user cache folder inherits from the profile.
func privateDir(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}
