// Package bindings is the seam between scripts and Go: the VU a binding runs in, promises backed
// by goroutines, and the hook (JSError) through which a binding turns its own Go errors into
// the JavaScript errors it documents. Subpackages hold one JS namespace each (mail, expect,
// secret, ...); none of them owns the event loop, and this package knows no provider.
package bindings
