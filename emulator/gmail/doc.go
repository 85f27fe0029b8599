// Package gmail is the emulator's Google face: the OAuth token endpoint (JWT-bearer grant with
// domain-wide delegation) and the Gmail v1 REST, upload and batch endpoints, rendered from the store.
// It speaks only HTTP and the wire formats google.golang.org/api expects; it knows nothing of JS or providers.
package gmail
