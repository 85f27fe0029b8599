// Package secrets resolves secret references (env:NAME, file:PATH, and key vaults) to opaque
// values that print as [secret REF], and keeps one redactor that masks every secret and token
// mailscript handles in all output. It must not import goja.
package secrets
