package microsoft365

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// gatherWindow is how long the coalescer waits for more reads before sending a part-full
// batch: long enough for Promise.all's calls to arrive, short against a 20 ms round trip.
const gatherWindow = 2 * time.Millisecond

// coalescer gathers the reads issued together into shared $batch requests, with at most
// mailboxConcurrency batches out at once (each a chain using one of the mailbox's connections)
// so that late arrivals fill later batches.
type coalescer struct {
	m        *mailbox
	inflight chan struct{}
	mu       sync.Mutex
	queue    []*batchJob
	running  bool
}

type batchJob struct {
	ctx  context.Context
	reqs []subRequest
	done chan batchResult
}

type batchResult struct {
	res []subResponse
	err error
}

func newCoalescer(m *mailbox) *coalescer {
	return &coalescer{m: m, inflight: make(chan struct{}, mailboxConcurrency)}
}

// do runs reqs (at most batchLimit) in a batch shared with concurrent callers.
func (c *coalescer) do(ctx context.Context, reqs []subRequest) ([]subResponse, error) {
	j := &batchJob{ctx: ctx, reqs: reqs, done: make(chan batchResult, 1)}
	c.mu.Lock()
	c.queue = append(c.queue, j)
	if !c.running {
		c.running = true
		go c.loop()
	}
	c.mu.Unlock()
	select {
	case r := <-j.done:
		return r.res, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *coalescer) loop() {
	for {
		c.inflight <- struct{}{}
		if c.pending() < batchLimit {
			time.Sleep(gatherWindow)
		}
		c.mu.Lock()
		var jobs []*batchJob
		n := 0
		for len(c.queue) > 0 && n+len(c.queue[0].reqs) <= batchLimit {
			n += len(c.queue[0].reqs)
			jobs = append(jobs, c.queue[0])
			c.queue = c.queue[1:]
		}
		if len(jobs) == 0 {
			c.running = false
			c.mu.Unlock()
			<-c.inflight
			return
		}
		c.mu.Unlock()
		go func() {
			defer func() { <-c.inflight }()
			c.send(jobs)
		}()
	}
}

func (c *coalescer) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, j := range c.queue {
		n += len(j.reqs)
	}
	return n
}

// send runs one batch; it is cancelled only when every caller in it has given up.
func (c *coalescer) send(jobs []*batchJob) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	left := int32(len(jobs))
	for _, j := range jobs {
		stop := context.AfterFunc(j.ctx, func() {
			if atomic.AddInt32(&left, -1) == 0 {
				cancel()
			}
		})
		defer stop()
	}
	var all []subRequest
	for _, j := range jobs {
		all = append(all, j.reqs...)
	}
	res, err := c.m.batch(ctx, all)
	for _, j := range jobs {
		if err != nil {
			j.done <- batchResult{err: err}
			continue
		}
		j.done <- batchResult{res: res[:len(j.reqs)]}
		res = res[len(j.reqs):]
	}
}
