package providers

import (
	"context"
	"time"
)

// Poll is one of waitFor's looks at the mailbox, as a report shows it.
type Poll struct {
	Start    time.Time
	Duration time.Duration
	Seen     int   // messages new to this wait that the poll looked at
	Matched  int   // of those, how many matched the criteria (the wait ends at the first)
	Err      error // why the poll failed, nil if it did not
}

type pollObserverKey struct{}

// WithPollObserver returns a context under which waitFor calls fn after each poll, from the
// goroutine running the wait. It is how a report learns about polls without the Mailbox
// interface growing a method for it.
func WithPollObserver(ctx context.Context, fn func(Poll)) context.Context {
	return context.WithValue(ctx, pollObserverKey{}, fn)
}

// ObservePoll runs one poll of a wait loop and, when ctx carries an observer, reports it:
// looked counts the arrivals the wait has considered so far (poll advances it), and a message
// returned is the one match. Without an observer it only runs poll.
func ObservePoll(ctx context.Context, looked *int, poll func() (*Message, error)) (*Message, error) {
	observe, _ := ctx.Value(pollObserverKey{}).(func(Poll))
	if observe == nil {
		return poll()
	}
	start, before := time.Now(), *looked
	msg, err := poll()
	matched := 0
	if msg != nil {
		matched = 1
	}
	observe(Poll{Start: start, Duration: time.Since(start), Seen: *looked - before, Matched: matched, Err: err})
	return msg, err
}
