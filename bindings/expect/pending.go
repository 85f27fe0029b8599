package expect

import (
	"slices"

	"github.com/dop251/goja"
)

// Unawaited is a .resolves or .rejects expectation whose promise had not settled when the
// runner asked: the test forgot to await it, so its verdict would be lost.
type Unawaited struct {
	What  string            // "resolves" or "rejects"
	Stack []goja.StackFrame // where expect(...).resolves.matcher() was called
}

// asyncCheck is one .resolves/.rejects expectation waiting for its promise.
type asyncCheck struct {
	seq    int
	what   string
	frames []goja.StackFrame
}

// track remembers an expectation until its promise settles (done), so that Unawaited can name
// the ones a test left behind. Settled ones are forgotten at once: a REPL, which never asks,
// keeps only what is truly pending.
func (e *Expect) track(what string, frames []goja.StackFrame) (done func()) {
	if e.pending == nil {
		e.pending = map[*asyncCheck]bool{}
	}
	e.seq++
	chk := &asyncCheck{seq: e.seq, what: what, frames: frames}
	e.pending[chk] = true
	return func() { delete(e.pending, chk) }
}

// Unawaited returns the .resolves/.rejects expectations still pending, in the order they were
// made, and forgets them: the runner calls it when a test ends.
func (e *Expect) Unawaited() []Unawaited {
	checks := make([]*asyncCheck, 0, len(e.pending))
	for chk := range e.pending {
		checks = append(checks, chk)
	}
	clear(e.pending)
	slices.SortFunc(checks, func(a, b *asyncCheck) int { return a.seq - b.seq })
	out := make([]Unawaited, len(checks))
	for i, chk := range checks {
		out[i] = Unawaited{What: chk.what, Stack: chk.frames}
	}
	return out
}
