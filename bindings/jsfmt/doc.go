// Package jsfmt renders goja values the way Node's util.inspect and console.log do,
// for console output, expect messages and the REPL.
// It only reads values: it never invokes getters or proxy traps and never panics on exotic values.
package jsfmt
