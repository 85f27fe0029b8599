package google

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"google.golang.org/api/googleapi"
)

// Gmail holds each user to a number of calls in progress, a batch's calls all counting until it
// is answered, and answers the excess 429 "Too many concurrent requests for user". Google does
// not publish the number; public measurements put it between 50 (a 50-call batch passes on a
// rested mailbox) and 60 (60 parallel gets fail). maxInFlight starts there, and the budget
// halves on each such 429 and creeps back by minInFlight per clean batch, so a mailbox shared
// with other clients settles at what is left to it instead of retrying whole rounds.
const (
	maxInFlight = 50
	minInFlight = 5
)

// callBudget bounds the calls a mailbox has in progress in batches.
type callBudget struct {
	mu      sync.Mutex
	limit   int
	used    int
	changed chan struct{} // closed and replaced whenever used or limit goes down or up
}

func newCallBudget() *callBudget {
	return &callBudget{limit: maxInFlight, changed: make(chan struct{})}
}

// size is how many calls the next batch may carry: at most want, at most the budget.
func (b *callBudget) size(want int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return max(1, min(want, b.limit))
}

// acquire waits until n calls fit in the budget (n is clamped to it) and takes them; it
// returns how many it took.
func (b *callBudget) acquire(ctx context.Context, n int) (int, error) {
	for {
		b.mu.Lock()
		n = min(n, b.limit)
		if b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return n, nil
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// release returns n calls: Gmail has answered them, so they no longer count against the
// user's limit (before their answers are read).
func (b *callBudget) release(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	b.signal()
}

// learn adapts the limit to a batch's answers: throttled halves it, a clean batch grows it.
func (b *callBudget) learn(throttled bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if throttled {
		b.limit = max(minInFlight, b.limit/2)
	} else {
		b.limit = min(maxInFlight, b.limit+minInFlight)
	}
	b.signal()
}

// signal wakes the callers waiting for the budget to change; the caller holds mu.
func (b *callBudget) signal() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// tooConcurrent tells Gmail's per-user concurrency 429 from its quota 429.
func tooConcurrent(err error) bool {
	var ge *googleapi.Error
	return errors.As(err, &ge) && ge.Code == http.StatusTooManyRequests && strings.Contains(strings.ToLower(ge.Message), "concurrent")
}
