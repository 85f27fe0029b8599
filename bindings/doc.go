// Package bindings is the seam between scripts and Go: the VU a binding runs in, promises backed
// by goroutines, and the mapping of Go errors to JavaScript errors. Subpackages hold one JS
// namespace each (mail, expect, console, ...); none of them owns the event loop.
package bindings
