package google

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/emulatortest"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// TestCallBudgetAdapts: a concurrency 429 halves the budget down to minInFlight, a clean
// batch grows it back by minInFlight up to maxInFlight, and acquire clamps to the budget.
func TestCallBudgetAdapts(t *testing.T) {
	t.Parallel()
	b := newCallBudget()
	ctx := context.Background()
	for _, tt := range []struct {
		throttled bool
		want      int
	}{{true, 25}, {true, 12}, {true, 6}, {true, 5}, {false, 10}, {false, 15}} {
		n, err := b.acquire(ctx, 100)
		if err != nil || n != b.limit {
			t.Fatalf("acquire(100) = %d, %v with limit %d", n, err, b.limit)
		}
		b.release(n)
		b.learn(tt.throttled)
		if b.limit != tt.want || b.used != 0 {
			t.Errorf("after throttled=%v: limit %d used %d, want limit %d", tt.throttled, b.limit, b.used, tt.want)
		}
	}
	b.limit = maxInFlight - 1
	b.learn(false)
	if b.limit != maxInFlight {
		t.Errorf("limit grew to %d, past %d", b.limit, maxInFlight)
	}
}

// TestReadsUnderConcurrencyLimit: against the emulator's Gmail concurrency limit, set below a
// batch, concurrent reads all succeed: the provider shrinks its batches to what the user is
// allowed instead of failing or retrying whole rounds of calls.
func TestReadsUnderConcurrencyLimit(t *testing.T) {
	t.Parallel()
	srv := emulatortest.New(t)
	ids := make([]string, 120)
	for i := range ids {
		m, err := srv.Store().Insert(qaUser, rawMail("a@example.org", qaUser, fmt.Sprintf("limit %03d", i), "x"), store.InsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}
	env := srv.Env()
	mb, err := Connect(providers.Options{"user": qaUser}, func(k string) string { return env[k] }, providers.NewShared(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetFaults(emulator.Faults{GmailConcurrency: 10}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := mb.Read(context.Background(), id, providers.ReadOptions{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	tot := srv.Totals()["gmail"]
	// Met, then learned: fewer refusals than reads (a fixed 50 in flight loses 40 per round).
	if tot.Throttled == 0 || tot.Throttled >= int64(len(ids)) {
		t.Errorf("throttled %d for %d reads: the limit of 10 was never met, or never learned", tot.Throttled, len(ids))
	}
	t.Logf("120 reads under a limit of 10: %d requests, %d calls, %d throttled", tot.Requests, tot.Calls, tot.Throttled)
}
