package jsruntime

import (
	"slices"

	"github.com/dop251/goja"
)

// pendingCalls are the mail calls and fetches (bindings.Async) of the running test that have
// not settled yet. A test that ends with one still running has not awaited it: endTest would
// cancel it unseen, so the test fails instead and names the line that started it.
type pendingCalls struct {
	seq   int
	calls map[*pendingCall]bool
}

type pendingCall struct {
	seq    int
	frames []goja.StackFrame
}

var _ interface {
	TrackPending([]goja.StackFrame) func()
} = (*VM)(nil) // bindings.PendingTracker

// TrackPending implements bindings.PendingTracker.
func (vm *VM) TrackPending(stack []goja.StackFrame) (settled func()) {
	p := &vm.pending
	if p.calls == nil {
		p.calls = map[*pendingCall]bool{}
	}
	p.seq++
	c := &pendingCall{seq: p.seq, frames: stack}
	p.calls[c] = true
	return func() { delete(p.calls, c) }
}

// oldest returns the frames of the call running longest, nil when none is.
func (p *pendingCalls) oldest() []goja.StackFrame {
	var first *pendingCall
	for c := range p.calls {
		if first == nil || c.seq < first.seq {
			first = c
		}
	}
	if first == nil {
		return nil
	}
	return first.frames
}

// take returns the calls still running, oldest first, and forgets them.
func (p *pendingCalls) take() []*pendingCall {
	out := make([]*pendingCall, 0, len(p.calls))
	for c := range p.calls {
		out = append(out, c)
	}
	clear(p.calls)
	slices.SortFunc(out, func(a, b *pendingCall) int { return a.seq - b.seq })
	return out
}
