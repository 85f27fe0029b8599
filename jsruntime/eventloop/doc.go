// Package eventloop is the single goroutine that owns a goja VM: callbacks from Go work, timers
// and unhandled-rejection tracking, in k6's design (reserve a slot, queue back onto the loop).
// It knows nothing of tests or bindings; the runtime decides what a run and a timeout are.
package eventloop
