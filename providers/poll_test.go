package providers

import (
	"context"
	"errors"
	"testing"
)

// TestObservePoll: a poll is reported with the arrivals it looked at and whether it found
// the message; without an observer the poll just runs.
func TestObservePoll(t *testing.T) {
	t.Parallel()
	looked := 3
	found := &Message{}
	if msg, err := ObservePoll(context.Background(), &looked, func() (*Message, error) { looked += 2; return found, nil }); msg != found || err != nil || looked != 5 {
		t.Fatalf("without an observer: %v, %v, looked %d", msg, err, looked)
	}
	var polls []Poll
	ctx := WithPollObserver(context.Background(), func(p Poll) { polls = append(polls, p) })
	refused := errors.New("refused")
	_, _ = ObservePoll(ctx, &looked, func() (*Message, error) { looked += 4; return nil, nil })
	_, _ = ObservePoll(ctx, &looked, func() (*Message, error) { return nil, refused })
	_, _ = ObservePoll(ctx, &looked, func() (*Message, error) { looked++; return found, nil })
	if len(polls) != 3 || polls[0].Seen != 4 || polls[0].Matched != 0 || polls[1].Err != refused || polls[1].Seen != 0 ||
		polls[2].Seen != 1 || polls[2].Matched != 1 || polls[2].Start.Before(polls[0].Start) {
		t.Errorf("polls = %+v", polls)
	}
}
