// Package repl is mailscript's interactive prompt: one VM evaluating line after line, with
// top-level await, multi-line input, completion and Node-style printing of results. It reads
// and writes only through the Input and writers it is given; the terminal is the caller's.
package repl
