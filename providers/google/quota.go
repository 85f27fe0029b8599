package google

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/mailscript/mailscript/providers"
	"google.golang.org/api/googleapi"
)

// defaultQuotaRate is Gmail's per-user rate limit: 15,000 quota units per user per minute
// (older pages of the same documentation: 250 per second, a moving average that "allows short
// bursts"). EnvQuotaRate overrides it, for a project granted another limit or for machines
// sharing one mailbox, which split it between them.
const defaultQuotaRate = 250.0

// burstWindow sizes the bucket: it holds burstWindow of the sustained rate, 2,500 units by
// default. That is one full messages.list page of summaries (500 metadata gets at 5 units),
// the largest single operation a script makes, so listing 500 summaries or reading 200
// messages goes out at full speed from a rested bucket. A loop that keeps asking is held to
// the rate after that: it can exceed Gmail's 15,000 units in its first minute by the bucket
// alone (a sixth), and by nothing over longer spans. Sized in time rather than units so that
// machines splitting the rate also split the burst, and their sum stays the same.
const burstWindow = 10 * time.Second

// quotaKey names a bucket in providers.Shared: one per (Gmail host, project, user) for the
// run, since Gmail counts a user's quota per Cloud project, over every connection and test file.
type quotaKey struct{ host, project, user string }

// quotaFor returns the shared bucket of key; a connection with another rate changes it for
// everyone, since they all draw on the same Gmail quota.
func quotaFor(shared *providers.Shared, key quotaKey, rate float64) *quota {
	q := providers.Share(shared, key, func() *quota { return newQuota(rate, wallClock{}) })
	q.setRate(rate)
	return q
}

// quota is a token bucket in quota units. Each request takes its units before it is sent;
// when the bucket runs dry the request reserves units ahead (tokens go below zero) and waits
// until they have accrued, so waiters leave in the order they came and at the sustained rate.
type quota struct {
	mu     sync.Mutex
	clock  clock
	rate   float64 // units per second
	burst  float64
	tokens float64   // below zero: units promised to callers still waiting
	last   time.Time // when tokens was brought up to date
}

func newQuota(rate float64, c clock) *quota {
	burst := rate * burstWindow.Seconds()
	return &quota{clock: c, rate: rate, burst: burst, tokens: burst, last: c.now()}
}

// refill brings tokens up to date; the caller holds mu.
func (q *quota) refill(now time.Time) {
	if now.After(q.last) {
		q.tokens = min(q.burst, q.tokens+now.Sub(q.last).Seconds()*q.rate)
		q.last = now
	}
}

func (q *quota) setRate(rate float64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if rate == q.rate {
		return
	}
	q.refill(q.clock.now())
	q.rate, q.burst = rate, rate*burstWindow.Seconds()
	q.tokens = min(q.tokens, q.burst)
}

// take charges units and returns once they are covered, or with ctx's error when ctx ends
// first; the units of a request that gave up are given back.
func (q *quota) take(ctx context.Context, units int) error {
	if units <= 0 {
		return nil
	}
	q.mu.Lock()
	c := q.clock
	now := c.now()
	q.refill(now)
	q.tokens -= float64(units)
	debt := -q.tokens
	// Rounded up, so that float error never lets a request out a nanosecond early.
	ready := now.Add(time.Duration(math.Ceil(debt / q.rate * float64(time.Second))))
	q.mu.Unlock()
	if debt <= 0 {
		return nil
	}
	if err := c.sleepUntil(ctx, ready); err != nil {
		q.mu.Lock()
		q.refill(c.now())
		q.tokens = min(q.burst, q.tokens+float64(units))
		q.mu.Unlock()
		return err
	}
	return nil
}

// clock is time as the bucket sees it, so that tests can pace it without waiting.
type clock interface {
	now() time.Time
	sleepUntil(ctx context.Context, t time.Time) error
}

type wallClock struct{}

func (wallClock) now() time.Time { return time.Now() }

func (wallClock) sleepUntil(ctx context.Context, t time.Time) error {
	return sleep(ctx, time.Until(t))
}

// exhausted empties the bucket: Gmail said the user's quota is spent (another client shares
// it, or it counts a little differently), so the calls that follow wait for it to refill at
// the rate instead of being refused in turn.
func (q *quota) exhausted() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.refill(q.clock.now())
	q.tokens = min(q.tokens, 0)
}

// quotaExceeded tells Gmail's per-user rate refusal (429, or 403 rateLimitExceeded in older
// answers) from its concurrency 429.
func quotaExceeded(err error) bool {
	var ge *googleapi.Error
	if !errors.As(err, &ge) || tooConcurrent(err) {
		return false
	}
	if ge.Code == http.StatusTooManyRequests {
		return true
	}
	return ge.Code == http.StatusForbidden && len(ge.Errors) > 0 && (ge.Errors[0].Reason == "rateLimitExceeded" || ge.Errors[0].Reason == "userRateLimitExceeded")
}
