package google

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/googleapi"
)

// maxBatch is the most calls Gmail's batch endpoint takes in one request. A batch is sized by
// the mailbox's budget of calls in progress instead (callBudget, 50 at most, under the 100),
// since Gmail holds every call of a batch to the user's concurrency limit until the batch is
// answered.
const maxBatch = 100

// getMany GETs paths (relative to users/me/) and returns each body or error, in order. Calls
// go in batches through POST {root}/batch/gmail/v1 (a lone call as a plain GET), each batch as
// large as the budget of calls in progress allows, and as many at once: the calls of the next
// batch leave as soon as the budget frees. A call the service refused goes back in the queue
// on its own, at once for a concurrency 429 (the budget shrank instead) and after a backoff
// otherwise, while the others go on; after a quota 429 the quota bucket is emptied, so that
// the calls after it are paced at the quota rate. A call gives up after maxAttempts refusals
// in batches that made no progress: a busy mailbox that answers a few calls per batch is
// progressing, not failing. each, when not nil, is given every answer as its batch arrives,
// so that the caller's work on it overlaps the batches still out; it is called from several
// goroutines, once per call.
func (m *mailbox) getMany(ctx context.Context, c call, paths []string, each func(i int, body []byte)) ([][]byte, []error) {
	bodies := make([][]byte, len(paths))
	errs := make([]error, len(paths))
	tries := make([]int, len(paths))
	notBefore := make([]time.Time, len(paths))
	queue := make([]int, len(paths))
	for i := range queue {
		queue[i] = i
	}
	type answer struct {
		chunk []int
		got   [][]byte
		errs  []error
	}
	answers := make(chan answer, len(paths))
	out := 0
	var failed error // ctx's error once it ends: the calls still queued get it
	for len(queue) > 0 && failed == nil || out > 0 {
		var ready, later []int
		wake := time.Time{}
		now := time.Now()
		for _, i := range queue {
			if failed != nil || !now.Before(notBefore[i]) {
				ready = append(ready, i)
			} else {
				later = append(later, i)
				if wake.IsZero() || notBefore[i].Before(wake) {
					wake = notBefore[i]
				}
			}
		}
		if failed == nil && len(ready) > 0 {
			n, err := m.inFlight.acquire(ctx, m.inFlight.size(min(maxBatch, len(ready))))
			if err != nil {
				failed = err
				continue
			}
			chunk := ready[:n]
			queue = append(later, ready[n:]...)
			out++
			go func() {
				sub := make([]string, len(chunk))
				for k, i := range chunk {
					sub[k] = paths[i]
				}
				var used string
				got, gotErrs := m.batch(withUsedToken(ctx, &used), sub, func() { m.inFlight.release(len(chunk)) })
				throttled := false
				for k := range chunk {
					if kind, _ := classify(gotErrs[k]); gotErrs[k] != nil && kind == staleAuth {
						m.tokens.Invalidate(used)
					}
					throttled = throttled || tooConcurrent(gotErrs[k])
				}
				m.inFlight.learn(throttled)
				if each != nil {
					for k, i := range chunk {
						if gotErrs[k] == nil {
							each(i, got[k])
						}
					}
				}
				answers <- answer{chunk, got, gotErrs}
			}()
			continue
		}
		if failed != nil {
			for _, i := range queue {
				errs[i] = failed
			}
			queue = nil
		}
		var timer *time.Timer
		var wakeUp <-chan time.Time
		if !wake.IsZero() && failed == nil {
			timer = time.NewTimer(time.Until(wake))
			wakeUp = timer.C
		}
		var cancelled <-chan struct{}
		if failed == nil {
			cancelled = ctx.Done()
		}
		select {
		case a := <-answers:
			out--
			queue = append(queue, m.settle(a.chunk, a.got, a.errs, bodies, errs, tries, notBefore)...)
		case <-wakeUp:
		case <-cancelled:
			failed = ctx.Err()
		}
		if timer != nil {
			timer.Stop()
		}
	}
	if failed != nil {
		for _, i := range queue {
			errs[i] = failed
		}
	}
	for i, err := range errs {
		if err != nil {
			errs[i] = m.apiError(c, err)
		}
	}
	return bodies, errs
}

// settle records one batch's answers and returns the calls to send again, each with the time
// it may leave.
func (m *mailbox) settle(chunk []int, got [][]byte, gotErrs []error, bodies [][]byte, errs []error, tries []int, notBefore []time.Time) []int {
	progress := false
	for _, err := range gotErrs {
		progress = progress || err == nil
	}
	var again []int
	for k, i := range chunk {
		bodies[i], errs[i] = got[k], gotErrs[k]
		if errs[i] == nil {
			continue
		}
		kind, asked := classify(errs[i])
		if kind == fatal {
			continue
		}
		if !progress {
			tries[i]++
		}
		if tries[i] >= maxAttempts {
			continue
		}
		again = append(again, i)
		switch {
		case tooConcurrent(errs[i]):
			notBefore[i] = time.Time{} // the budget has shrunk: that is the pause
		case kind == staleAuth:
			notBefore[i] = time.Time{}
		default:
			if quotaExceeded(errs[i]) {
				m.quota.exhausted()
			}
			notBefore[i] = time.Now().Add(backoff(tries[i]+1, asked))
		}
	}
	return again
}

// batch performs one batch request (or a plain GET for a single call). answered runs once,
// as soon as Gmail's answer has begun or the request has failed: the calls are no longer in
// progress at Gmail, whatever reading the answer still takes here.
func (m *mailbox) batch(ctx context.Context, paths []string, answered func()) ([][]byte, []error) {
	answered = sync.OnceFunc(answered)
	defer answered()
	bodies := make([][]byte, len(paths))
	errs := make([]error, len(paths))
	fail := func(err error) ([][]byte, []error) {
		for i := range errs {
			errs[i] = err
		}
		return bodies, errs
	}
	if len(paths) == 1 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.cfg.gmailURL+"gmail/v1/users/me/"+paths[0], nil)
		if err != nil {
			return fail(err)
		}
		resp, err := m.client.Do(req)
		answered()
		if err != nil {
			return fail(err)
		}
		bodies[0], errs[0] = readResponse(resp)
		return bodies, errs
	}
	body, contentType, units, err := m.batchBody(paths)
	if err != nil {
		return fail(err)
	}
	req, err := http.NewRequestWithContext(withUnits(ctx, units), http.MethodPost, m.cfg.gmailURL+"batch/gmail/v1", bytes.NewReader(body))
	if err != nil {
		return fail(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := m.client.Do(req)
	answered()
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	if err := googleapi.CheckResponse(resp); err != nil {
		return fail(err)
	}
	if err := parseBatch(resp, bodies, errs); err != nil {
		return fail(err)
	}
	return bodies, errs
}

// batchBody encodes the calls as Google's batch format: a multipart/mixed body of
// application/http parts, each one whole HTTP request, numbered by Content-ID. It also returns
// the quota units of the calls, which is what the batch costs. The parts are written by hand:
// http.Request.Write for each cost a millisecond a batch, between one batch and the next.
func (m *mailbox) batchBody(paths []string) ([]byte, string, int, error) {
	root, err := url.Parse(m.cfg.gmailURL + "gmail/v1/users/me/")
	if err != nil {
		return nil, "", 0, err
	}
	units := 0
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i, p := range paths {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type": {"application/http"},
			"Content-Id":   {"<" + strconv.Itoa(i) + ">"},
		})
		if err != nil {
			return nil, "", 0, err
		}
		u, err := root.Parse(p)
		if err != nil {
			return nil, "", 0, err
		}
		units += unitsOf(&http.Request{Method: http.MethodGet, URL: u})
		if _, err := io.WriteString(pw, "GET "+u.RequestURI()+" HTTP/1.1\r\nHost: "+u.Host+"\r\n\r\n"); err != nil {
			return nil, "", 0, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", 0, err
	}
	return buf.Bytes(), mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}), units, nil
}

// parseBatch reads the multipart/mixed answer: one application/http response per call, matched
// to its call by Content-ID "response-N" (Google keeps the order too, but says not to rely on it).
func parseBatch(resp *http.Response, bodies [][]byte, errs []error) error {
	mediaType, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		return fmt.Errorf("batch answer is %q, not multipart/mixed", resp.Header.Get("Content-Type"))
	}
	seen := make([]bool, len(bodies))
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the batch answer: %w", err)
		}
		i := n
		if id := strings.Trim(part.Header.Get("Content-Id"), "<> "); id != "" {
			if k, err := strconv.Atoi(strings.TrimPrefix(id, "response-")); err == nil {
				i = k
			}
		}
		if i < 0 || i >= len(bodies) || seen[i] {
			return fmt.Errorf("batch answer has an unexpected part %q", part.Header.Get("Content-Id"))
		}
		seen[i] = true
		sub, err := http.ReadResponse(bufio.NewReader(part), nil)
		if err != nil {
			return fmt.Errorf("batch answer part %d: %w", i, err)
		}
		bodies[i], errs[i] = readResponse(sub)
	}
	for i, ok := range seen {
		if !ok {
			errs[i] = fmt.Errorf("the batch answer has no part for call %d", i)
		}
	}
	return nil
}

// readResponse returns a 2xx body, or the *googleapi.Error of any other answer.
func readResponse(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	if err := googleapi.CheckResponse(resp); err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// getJSON fetches paths through getMany and decodes each answer; the first failure fails all.
func getJSON[T any](ctx context.Context, m *mailbox, c call, paths []string) ([]*T, error) {
	bodies, errs := m.getMany(ctx, c, paths, nil)
	out := make([]*T, len(paths))
	for i := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[i] = new(T)
		if err := json.Unmarshal(bodies[i], out[i]); err != nil {
			return nil, m.apiError(c, fmt.Errorf("decoding the answer: %w", err))
		}
	}
	return out, nil
}
