package coalesce

import (
	"context"
	"sync"
)

// audience is the context of work done for several callers: it ends when every caller that
// joined has gone (its context ended), so no one caller's cancellation fails the others and
// work nobody waits for any more stops.
type audience struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	n      int
	gone   bool // everyone left: the work is cancelled
	over   bool // the work has ended
	stops  []func() bool
}

// newAudience starts the work's context from parent's values (not its deadline or
// cancellation).
func newAudience(parent context.Context) *audience {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	return &audience{ctx: ctx, cancel: cancel}
}

// join counts ctx's caller in until ctx ends; it reports false when everyone had already
// gone, so the work is cancelled.
func (a *audience) join(ctx context.Context) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gone {
		return false
	}
	if a.over {
		return true // the result is there: nothing left to cancel
	}
	a.n++
	a.stops = append(a.stops, context.AfterFunc(ctx, a.leave))
	return true
}

func (a *audience) leave() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n--; a.n == 0 {
		a.gone = true
		a.cancel()
	}
}

// done ends the work and stops watching the callers.
func (a *audience) done() {
	a.mu.Lock()
	stops := a.stops
	a.stops, a.over = nil, true
	a.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
	a.cancel()
}
