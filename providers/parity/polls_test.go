package parity

import (
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// TestWaitForReportsPolls waits on each provider for mail sent a while after the wait began:
// the poll observer in the context hears every poll, in order, the ones before the mail saw
// nothing of it and the last one found it; an unrelated message arriving meanwhile is seen
// by a poll without matching.
func TestWaitForReportsPolls(t *testing.T) {
	t.Parallel()
	b := start(t)
	b.each(t, func(t *testing.T, box providers.Mailbox) {
		var (
			mu    sync.Mutex
			polls []providers.Poll
		)
		ctx := providers.WithPollObserver(t.Context(), func(p providers.Poll) {
			mu.Lock()
			defer mu.Unlock()
			polls = append(polls, p)
		})
		addr := plus(box, "polls")
		began := time.Now()
		go func() {
			time.Sleep(300 * time.Millisecond)
			for _, subject := range []string{"unrelated", "wanted"} {
				if _, err := box.Send(t.Context(), providers.Draft{To: []providers.Address{{Address: addr}}, Subject: subject}); err != nil {
					t.Error(err)
				}
				time.Sleep(300 * time.Millisecond)
			}
		}()
		msg, err := box.WaitFor(ctx, providers.Criteria{To: providers.Matcher{Contains: addr}, Subject: providers.Matcher{Contains: "wanted"}},
			providers.WaitOptions{Timeout: 30 * time.Second, Interval: 100 * time.Millisecond})
		if err != nil || msg.Subject != "wanted" {
			t.Fatalf("waitFor = %v, %v", msg, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(polls) < 4 {
			t.Fatalf("%d polls reported in about 600ms of 100ms polling: %+v", len(polls), polls)
		}
		seen, matched := 0, 0
		for i, p := range polls {
			if p.Err != nil || p.Start.Before(began) || p.Duration <= 0 || i > 0 && p.Start.Before(polls[i-1].Start) {
				t.Errorf("poll %d = %+v", i, p)
			}
			seen, matched = seen+p.Seen, matched+p.Matched
		}
		if last := polls[len(polls)-1]; last.Matched != 1 || seen != 2 || matched != 1 {
			t.Errorf("polls saw %d arrivals and matched %d, the last %+v; want both seen, the last one matched", seen, matched, last)
		}
	})
}
