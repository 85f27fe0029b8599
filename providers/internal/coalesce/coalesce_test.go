package coalesce

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCoalescerBatches: calls made together share batches of the size asked for, answers go
// back to their callers, and no more batches than lanes are out at once.
func TestCoalescerBatches(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sizes []int
	var out, most atomic.Int32
	c := New(2, 5*time.Millisecond, func(waiting int) (int, int) { return min(waiting, 10), 10 }, func(ctx context.Context, reqs []int) ([]int, error) {
		if n := out.Add(1); n > most.Load() {
			most.Store(n)
		}
		defer out.Add(-1)
		time.Sleep(10 * time.Millisecond)
		mu.Lock()
		sizes = append(sizes, len(reqs))
		mu.Unlock()
		res := make([]int, len(reqs))
		for i, r := range reqs {
			res[i] = r * 2
		}
		return res, nil
	})
	var wg sync.WaitGroup
	for i := range 35 {
		wg.Go(func() {
			res, err := c.Do(context.Background(), i, i+1000)
			if err != nil || len(res) != 2 || res[0] != 2*i || res[1] != 2*(i+1000) {
				t.Errorf("Do(%d) = %v, %v", i, res, err)
			}
		})
	}
	wg.Wait()
	total := 0
	for _, n := range sizes {
		total += n
		if n > 10 || n%2 != 0 {
			t.Errorf("a batch of %d calls: want at most 10, a caller's two calls together", n)
		}
	}
	if total != 70 || len(sizes) > 9 || most.Load() > 2 {
		t.Errorf("batches %v (%d calls), %d out at once; want 70 calls in about 7 batches, at most 2 out", sizes, total, most.Load())
	}
}

// TestCoalescerCancellation: a caller who gives up gets its context's error at once; its
// batch goes on while another caller waits for it, and is cancelled when the last one gives
// up. A caller gone before its batch left is not sent at all.
func TestCoalescerCancellation(t *testing.T) {
	t.Parallel()
	started := make(chan []string, 4)
	ended := make(chan error, 4)
	c := New(1, time.Millisecond, func(waiting int) (int, int) { return waiting, 100 }, func(ctx context.Context, reqs []string) ([]string, error) {
		started <- reqs
		<-ctx.Done()
		ended <- ctx.Err()
		return nil, ctx.Err()
	})
	a, cancelA := context.WithCancel(context.Background())
	b, cancelB := context.WithCancel(context.Background())
	errs := make(chan error, 3)
	go func() { _, err := c.Do(a, "a"); errs <- err }()
	go func() { _, err := c.Do(b, "b"); errs <- err }()
	first := <-started // one lane: "a" and "b" share it, or "a" leaves alone and "b" waits
	cancelA()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller who gave up got %v", err)
	}
	if len(first) == 2 {
		select {
		case err := <-ended:
			t.Fatalf("the batch ended (%v) while b still waited for it", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	gone, cancelGone := context.WithCancel(context.Background())
	cancelGone()
	go func() { _, err := c.Do(gone, "gone"); errs <- err }()
	cancelB()
	<-errs
	<-errs
	select {
	case <-ended:
	case <-time.After(time.Second):
		t.Fatal("a batch nobody waits for was not cancelled")
	}
	for {
		select {
		case reqs := <-started:
			for _, r := range reqs {
				if r == "gone" {
					t.Fatalf("a caller gone before its batch left was sent: %v", reqs)
				}
			}
			<-ended
		case <-time.After(50 * time.Millisecond):
			return
		}
	}
}

// TestGroupShares: callers of one key while its call runs share it; a caller who gives up
// does not cancel it for the others; when all have gone it is cancelled, and the next caller
// starts a new one.
func TestGroupShares(t *testing.T) {
	t.Parallel()
	var g Group[string, int]
	var calls atomic.Int32
	release := make(chan struct{})
	cancelled := make(chan struct{}, 2)
	fn := func(ctx context.Context) (int, error) {
		n := calls.Add(1)
		select {
		case <-release:
			return int(n), nil
		case <-ctx.Done():
			cancelled <- struct{}{}
			return 0, ctx.Err()
		}
	}
	quitter, quit := context.WithCancel(context.Background())
	got := make(chan int, 3)
	go func() { v, _ := g.Do(quitter, "k", fn); got <- v }()
	time.Sleep(10 * time.Millisecond)
	go func() { v, _ := g.Do(context.Background(), "k", fn); got <- v }()
	time.Sleep(10 * time.Millisecond)
	quit()
	if v := <-got; v != 0 {
		t.Fatalf("the caller who gave up got %d", v)
	}
	select {
	case <-cancelled:
		t.Fatal("one caller giving up cancelled the call another waits for")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	if v := <-got; v != 1 || calls.Load() != 1 {
		t.Fatalf("the staying caller got %d after %d calls, want the one shared call", v, calls.Load())
	}

	block := make(chan struct{})
	alone, leave := context.WithCancel(context.Background())
	go func() {
		_, err := g.Do(alone, "x", func(ctx context.Context) (int, error) { <-ctx.Done(); close(block); return 0, ctx.Err() })
		got <- map[bool]int{true: -1}[errors.Is(err, context.Canceled)]
	}()
	time.Sleep(10 * time.Millisecond)
	leave()
	select {
	case <-block:
	case <-time.After(time.Second):
		t.Fatal("a call nobody waits for was not cancelled")
	}
	if v := <-got; v != -1 {
		t.Fatal("the leaving caller did not get context.Canceled")
	}
	if v, err := g.Do(context.Background(), "x", func(context.Context) (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Errorf("after a cancelled call, a new caller got %d, %v", v, err)
	}
}

// TestCoalescerGathersTrickle: calls of one burst that arrive over several windows leave in
// one batch, not in one batch per window; a steady trickle still leaves after maxWindows.
func TestCoalescerGathersTrickle(t *testing.T) {
	t.Parallel()
	const window = 20 * time.Millisecond
	var mu sync.Mutex
	var sizes []int
	c := New(1, window, func(waiting int) (int, int) { return min(waiting, 10), 10 }, func(ctx context.Context, reqs []int) ([]int, error) {
		mu.Lock()
		sizes = append(sizes, len(reqs))
		mu.Unlock()
		return reqs, nil
	})
	var wg sync.WaitGroup
	// A burst of 6 calls, one every half window: no window passes without a new one.
	for i := range 6 {
		wg.Go(func() { _, _ = c.Do(context.Background(), i) })
		time.Sleep(window / 2)
	}
	wg.Wait()
	mu.Lock()
	got := append([]int(nil), sizes...)
	sizes = nil
	mu.Unlock()
	if len(got) != 1 || got[0] != 6 {
		t.Errorf("a burst over 3 windows went as batches %v, want one of 6", got)
	}

	// A trickle that never stops, a call a little more often than a window, into batches of
	// up to 100: the first batch leaves after maxWindows windows, not when 100 have come.
	c = New(1, window, func(waiting int) (int, int) { return min(waiting, 100), 100 }, func(ctx context.Context, reqs []int) ([]int, error) {
		return reqs, nil
	})
	stop := make(chan struct{})
	first := make(chan time.Duration, 1)
	began := time.Now()
	var once sync.Once
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			wg.Go(func() {
				_, _ = c.Do(context.Background(), i)
				once.Do(func() { first <- time.Since(began) })
			})
			time.Sleep(window * 9 / 10)
		}
	})
	took := <-first
	close(stop)
	wg.Wait()
	// maxWindows is 5: the bound leaves 3 windows for a loaded machine; 100 calls take 90.
	if took > 8*window {
		t.Errorf("the first call of a steady trickle was answered after %v, want about %v", took, 5*window)
	}
}
