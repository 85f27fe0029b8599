package microsoft365

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// batchLimit is Graph's maximum number of requests in one $batch.
const batchLimit = 20

// gatherWindow is how long the coalescer waits for more reads before sending a part-full
// batch: long enough for Promise.all's calls to arrive, short against a 20 ms round trip.
const gatherWindow = 2 * time.Millisecond

type subRequest struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
}

type subResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// bytes returns the sub-response body: JSON as is; other content, which $batch carries as a
// base64 string, decoded.
func (r subResponse) bytes() []byte {
	if len(r.Body) == 0 || r.Body[0] != '"' {
		return r.Body
	}
	var s string
	if json.Unmarshal(r.Body, &s) != nil {
		return r.Body
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b
	}
	return []byte(s)
}

func (r subResponse) header(name string) string {
	for k, v := range r.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// batch sends up to batchLimit GET sub-requests in one $batch, re-sending (after their
// Retry-After) the ones Graph throttled, and returns the answers in request order.
func (m *mailbox) batch(ctx context.Context, reqs []subRequest) ([]subResponse, error) {
	out := make([]subResponse, len(reqs))
	todo := make([]int, len(reqs))
	for i := range reqs {
		todo[i] = i
		reqs[i].ID = strconv.Itoa(i)
	}
	for attempt := 1; ; attempt++ {
		send := make([]subRequest, len(todo))
		for i, j := range todo {
			send[i] = reqs[j]
		}
		body, _ := json.Marshal(map[string]any{"requests": send})
		resp, err := m.do(repeatable(ctx), op{"$batch", "Mail.Read"}, http.MethodPost, "/$batch", body, nil)
		if err != nil {
			return nil, err
		}
		var answer struct {
			Responses []subResponse `json:"responses"`
		}
		err = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if err != nil {
			return nil, providers.Errorf(providers.Unavailable, Name, "$batch: unreadable answer from Microsoft Graph: %v", err)
		}
		var again []int
		wait := time.Duration(0)
		for _, r := range answer.Responses {
			j, err := strconv.Atoi(r.ID)
			if err != nil || j < 0 || j >= len(reqs) {
				continue
			}
			out[j] = r
			if retryable(r.Status) && attempt < maxAttempts {
				again = append(again, j)
				wait = max(wait, backoff(attempt, r.header("Retry-After")))
			}
		}
		if len(again) == 0 {
			return out, nil
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
		todo = again
	}
}

// coalescer gathers the reads issued together into shared $batch requests, with at most
// mailboxConcurrency batches out at once so that late arrivals fill later batches.
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
