// Package console installs the console global: Node-like formatting through jsfmt, log, info
// and debug to stdout, warn, error and trace to stderr, colours only when asked for.
// It writes to the VU's writers and an optional capture; it never decides what a TTY is.
package console
