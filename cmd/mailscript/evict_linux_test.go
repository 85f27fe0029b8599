package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropPageCache writes a file out and drops its pages from the page cache.
func dropPageCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return err
	}
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}
