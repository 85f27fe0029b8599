package google

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
	"google.golang.org/api/googleapi"
)

// fakeClock is virtual time: a sleep moves it at once to the sleeper's wake time (never
// back), so pacing shows in the clock instead of in the test's duration. With block set, a
// sleep lasts until its context ends.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	block bool
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleepUntil(ctx context.Context, t time.Time) error {
	c.mu.Lock()
	if c.block {
		c.mu.Unlock()
		<-ctx.Done()
		return ctx.Err()
	}
	if t.After(c.t) {
		c.t = t
	}
	c.mu.Unlock()
	return ctx.Err()
}

// near allows the nanoseconds that float arithmetic and rounding up add to a wait.
func near(got, want time.Duration) bool {
	return got >= want && got-want < time.Microsecond
}

// charged is what q has handed out since it was last full, for a clock that stood still.
func (q *quota) charged() float64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.burst - q.tokens
}

// useClock makes q run on c from a full bucket.
func (q *quota) useClock(c clock) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.clock, q.tokens, q.last = c, q.burst, c.now()
}

func TestQuotaPacesBursts(t *testing.T) {
	ctx := context.Background()
	repeat := func(n, units int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = units
		}
		return out
	}
	tests := []struct {
		name  string
		rate  float64
		takes []int
		want  time.Duration // virtual time until the last take returns
	}{
		{"list 500 summaries fits the burst", 250, append([]int{5}, repeat(10, 250)...), 20 * time.Millisecond},
		{"read 200 messages fits the burst", 250, repeat(4, 250), 0},
		{"a batch beyond the burst waits for its units", 250, append(repeat(10, 250), 250), time.Second},
		{"gets beyond the burst leave at the rate", 250, repeat(500+250, 5), 5 * time.Second},
		{"a send larger than what is left", 250, []int{2450, 100}, 200 * time.Millisecond},
		{"a lower rate shrinks the burst with it", 25, repeat(50+5, 5), time.Second},
		{"free requests never wait", 250, append(repeat(10, 250), 0, 0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFakeClock()
			q := newQuota(tt.rate, c)
			start := c.now()
			for _, u := range tt.takes {
				if err := q.take(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			if got := c.now().Sub(start); !near(got, tt.want) {
				t.Errorf("took %v of virtual time, want %v", got, tt.want)
			}
		})
	}
}

// TestQuotaConcurrentDemand has many callers race for the bucket: however they interleave,
// the last leaves exactly when the units beyond the burst have accrued, so none got through
// uncharged.
func TestQuotaConcurrentDemand(t *testing.T) {
	c := newFakeClock()
	q := newQuota(250, c)
	start := c.now()
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 100 {
				if err := q.take(context.Background(), 5); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	// 8,000 units: 2,500 from the burst, 5,500 at 250 a second.
	if got, want := c.now().Sub(start), 22*time.Second; !near(got, want) {
		t.Errorf("the last caller left after %v, want %v", got, want)
	}
}

// TestQuotaLongRun keeps asking for half an hour of virtual time with the provider's mix of
// calls and checks every window against the bucket's promise: at most the burst plus the rate
// times the window, so a minute never exceeds Gmail's 15,000 units by more than the burst and
// the whole run averages 250 units a second.
func TestQuotaLongRun(t *testing.T) {
	c := newFakeClock()
	q := newQuota(defaultQuotaRate, c)
	start := c.now()
	mix := []int{250, 5, 2, 250, 1, 100, 250, 5, 10, 250}
	type release struct {
		at    time.Duration
		units int
	}
	var log []release
	total := 0
	for i := 0; c.now().Sub(start) < 30*time.Minute; i++ {
		u := mix[i%len(mix)]
		if err := q.take(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		log = append(log, release{c.now().Sub(start), u})
		total += u
	}
	elapsed := log[len(log)-1].at
	burst := defaultQuotaRate * burstWindow.Seconds()
	if avg := float64(total) / elapsed.Seconds(); avg > defaultQuotaRate*(1+burst/(defaultQuotaRate*elapsed.Seconds()))+1e-6 || avg < defaultQuotaRate*0.99 {
		t.Errorf("averaged %.1f units/s over %v, want 250 (plus the burst spread over the run)", avg, elapsed)
	}
	for _, window := range []time.Duration{time.Second, 10 * time.Second, time.Minute, 10 * time.Minute} {
		limit := burst + defaultQuotaRate*window.Seconds()
		worst, sum, lo := 0, 0, 0
		for hi := range log {
			sum += log[hi].units
			for log[hi].at-log[lo].at > window {
				sum -= log[lo].units
				lo++
			}
			worst = max(worst, sum)
		}
		if float64(worst) > limit {
			t.Errorf("%d units went out within %v, more than the %.0f the bucket allows", worst, window, limit)
		}
	}
}

func TestQuotaHonoursContext(t *testing.T) {
	c := newFakeClock()
	q := newQuota(250, c)
	if err := q.take(context.Background(), 2500); err != nil {
		t.Fatal(err)
	}
	c.block = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- q.take(ctx, 250) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("take = %v, want context.Canceled", err)
	}
	if got := q.charged(); got != 2500 {
		t.Errorf("after a cancelled wait the bucket is down %v units, want 2500: the 250 must be given back", got)
	}
}

func TestQuotaShared(t *testing.T) {
	shared := providers.NewShared(nil)
	key := quotaKey{"gmail.example", "project", "qa@example.com"}
	a := quotaFor(shared, key, 250)
	b := quotaFor(shared, key, 125)
	if a != b {
		t.Fatal("two connections to one user and project got separate buckets")
	}
	if a.rate != 125 || a.burst != 1250 || a.tokens != 1250 {
		t.Errorf("after a new rate: rate %v, burst %v, tokens %v; want 125, 1250, 1250", a.rate, a.burst, a.tokens)
	}
	if quotaFor(shared, quotaKey{"gmail.example", "project", "sam@example.com"}, 250) == a {
		t.Error("another user shares the bucket")
	}
	if quotaFor(providers.NewShared(nil), key, 125) == a {
		t.Error("another run shares the bucket")
	}
}

// TestQuotaExhausted: after Gmail's quota 429 the bucket is empty, so the calls that follow
// leave at the rate (50 units at 250/s: 200 ms) instead of being refused in turn; a
// concurrency 429 is not a quota refusal and leaves the bucket alone.
func TestQuotaExhausted(t *testing.T) {
	t.Parallel()
	c := newFakeClock()
	q := newQuota(250, c)
	quota429 := &googleapi.Error{Code: 429, Message: "User-rate limit exceeded.", Errors: []googleapi.ErrorItem{{Reason: "rateLimitExceeded"}}}
	busy429 := &googleapi.Error{Code: 429, Message: "Too many concurrent requests for user."}
	old403 := &googleapi.Error{Code: 403, Errors: []googleapi.ErrorItem{{Reason: "userRateLimitExceeded"}}}
	if !quotaExceeded(quota429) || !quotaExceeded(old403) || quotaExceeded(busy429) || quotaExceeded(errors.New("EOF")) {
		t.Fatal("quotaExceeded mistakes a concurrency or network refusal for a quota one, or the reverse")
	}
	start := c.now()
	if err := q.take(context.Background(), 50); err != nil || c.now() != start {
		t.Fatalf("a full bucket made 50 units wait %v (%v)", c.now().Sub(start), err)
	}
	q.exhausted()
	if err := q.take(context.Background(), 50); err != nil || !near(c.now().Sub(start), 200*time.Millisecond) {
		t.Errorf("after exhausted, 50 units waited %v, want 200ms", c.now().Sub(start))
	}
}
