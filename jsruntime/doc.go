// Package jsruntime runs test files: esbuild bundles a script and its local imports, one goja VM
// per file executes it on its event loop, and the harness turns test()/describe() into
// results whose errors point at the user's sources. It never parses flags or picks files.
package jsruntime
