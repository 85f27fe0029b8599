//go:build !linux

package main

// dropPageCache is a no-op where the page cache cannot be dropped per file.
func dropPageCache(string) error { return nil }
