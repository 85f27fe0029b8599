package coalesce

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Coalescer gathers the calls that concurrent callers make into shared batches: a batch
// leaves when a lane is free, after waiting for more calls unless it is already full (a
// window at a time while they keep arriving, up to maxWindows), and carries the calls of as
// many waiting callers as its size allows. Callers whose context has ended before their batch
// left are dropped from it.
type Coalescer[Req, Resp any] struct {
	send   func(ctx context.Context, reqs []Req) ([]Resp, error)
	size   func(waiting int) (next, most int)
	window time.Duration
	lanes  chan struct{}

	mu      sync.Mutex
	queue   []*job[Req, Resp]
	running bool
}

type job[Req, Resp any] struct {
	ctx  context.Context
	reqs []Req
	done chan result[Resp]
}

type result[Resp any] struct {
	res []Resp
	err error
}

// New returns a Coalescer with at most lanes batches out at once. send runs one batch and
// returns the answers in request order. size says how many calls the next batch may carry,
// given how many wait, and the most a batch ever carries (one that would not be full waits
// for more first, see gather); a caller's calls are never split, so a batch carries at least one caller's.
func New[Req, Resp any](lanes int, window time.Duration, size func(waiting int) (next, most int), send func(ctx context.Context, reqs []Req) ([]Resp, error)) *Coalescer[Req, Resp] {
	return &Coalescer[Req, Resp]{send: send, size: size, window: window, lanes: make(chan struct{}, lanes)}
}

// Do runs reqs in a batch shared with concurrent callers and returns their answers, or ctx's
// error as soon as ctx ends.
func (c *Coalescer[Req, Resp]) Do(ctx context.Context, reqs ...Req) ([]Resp, error) {
	j := &job[Req, Resp]{ctx: ctx, reqs: reqs, done: make(chan result[Resp], 1)}
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

func (c *Coalescer[Req, Resp]) loop() {
	for {
		c.lanes <- struct{}{}
		c.gather()
		jobs := c.take()
		if jobs == nil {
			<-c.lanes
			return
		}
		go func() {
			defer func() { <-c.lanes }()
			c.run(jobs)
		}()
	}
}

// maxWindows bounds how long a batch that is not full waits for more calls: calls still
// arriving after this many windows are a steady trickle, not one burst, and go in the next.
const maxWindows = 5

// gather waits, a window at a time, while the next batch would not be full and calls keep
// arriving. One window is not always enough for a burst: 200 goroutines (or a Promise.all of
// 200 reads) can take longer than 2 ms to be scheduled on a loaded machine, and a batch
// that left with part of them cost a whole extra round trip (Gmail's 200 reads took 5
// batches instead of 4 in about one run of twelve, 1.5 times as long).
func (c *Coalescer[Req, Resp]) gather() {
	waiting := c.waiting()
	for range maxWindows {
		if _, most := c.size(waiting); waiting == 0 || waiting >= most {
			return
		}
		time.Sleep(c.window)
		now := c.waiting()
		if now == waiting {
			return
		}
		waiting = now
	}
}

func (c *Coalescer[Req, Resp]) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, j := range c.queue {
		n += len(j.reqs)
	}
	return n
}

// take removes the next batch's jobs from the queue; nil (and the loop ends) when none wait.
func (c *Coalescer[Req, Resp]) take() []*job[Req, Resp] {
	c.mu.Lock()
	defer c.mu.Unlock()
	live := c.queue[:0]
	waiting := 0
	for _, j := range c.queue {
		if j.ctx.Err() == nil {
			live = append(live, j)
			waiting += len(j.reqs)
		}
	}
	clear(c.queue[len(live):])
	c.queue = live
	if len(c.queue) == 0 {
		c.running = false
		return nil
	}
	next, _ := c.size(waiting)
	var jobs []*job[Req, Resp]
	n := 0
	for len(c.queue) > 0 && (len(jobs) == 0 || n+len(c.queue[0].reqs) <= next) {
		n += len(c.queue[0].reqs)
		jobs = append(jobs, c.queue[0])
		c.queue = c.queue[1:]
	}
	return jobs
}

// run sends one batch on a context that ends when every caller in it has gone.
func (c *Coalescer[Req, Resp]) run(jobs []*job[Req, Resp]) {
	who := newAudience(jobs[0].ctx)
	defer who.done()
	var all []Req
	for _, j := range jobs {
		who.join(j.ctx)
		all = append(all, j.reqs...)
	}
	res, err := c.send(who.ctx, all)
	if err == nil && len(res) != len(all) {
		err = fmt.Errorf("coalesce: %d answers to a batch of %d calls", len(res), len(all))
	}
	for _, j := range jobs {
		if err != nil {
			j.done <- result[Resp]{err: err}
			continue
		}
		j.done <- result[Resp]{res: res[:len(j.reqs)]}
		res = res[len(j.reqs):]
	}
}
