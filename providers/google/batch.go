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
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/googleapi"
)

// Gmail's batch endpoint takes up to 100 calls, but Google advises at most 50: larger batches
// get rate-limited. batchSize splits the budget of calls in progress (callBudget) in two, so
// one batch is on the wire while the other is being answered.
const batchSize = maxInFlight / 2

// maxFetches is how many batches of reads the coalescer prepares at once; the budget decides
// how many of them are on the wire.
const maxFetches = 4

// getMany GETs paths (relative to users/me/) and returns each body or error, in order. Calls
// go in batches through POST {root}/batch/gmail/v1 (a lone call as a plain GET), and the
// calls the service throttled or failed are retried with backoff. It gives up after
// maxAttempts rounds in a row in which no call settled: Gmail holds each call of a batch to
// the user's concurrency limit, so a busy mailbox may answer only a few calls per round, and
// that is progress, not failure.
func (m *mailbox) getMany(ctx context.Context, c call, paths []string) ([][]byte, []error) {
	bodies := make([][]byte, len(paths))
	errs := make([]error, len(paths))
	pending := make([]int, len(paths))
	for i := range pending {
		pending[i] = i
	}
	for attempt := 0; len(pending) > 0; {
		m.runBatches(ctx, paths, pending, bodies, errs)
		var again []int
		var wait time.Duration
		for _, i := range pending {
			if errs[i] == nil {
				continue
			}
			kind, asked := classify(errs[i])
			if kind == fatal {
				continue
			}
			again = append(again, i)
			wait = max(wait, asked)
		}
		if len(again) < len(pending) {
			attempt = 0
		} else {
			attempt++
		}
		if len(again) == 0 || attempt == maxAttempts || ctx.Err() != nil {
			break
		}
		if sleep(ctx, backoff(max(attempt-1, 0), wait)) != nil {
			break
		}
		pending = again
	}
	for i, err := range errs {
		if err != nil {
			errs[i] = m.apiError(c, err)
		}
	}
	return bodies, errs
}

// runBatches sends the pending calls in batches, as many at once as the mailbox's budget of
// calls in progress allows, and records each outcome.
func (m *mailbox) runBatches(ctx context.Context, paths []string, pending []int, bodies [][]byte, errs []error) {
	var wg sync.WaitGroup
	for start := 0; start < len(pending); {
		n, err := m.inFlight.acquire(ctx, m.inFlight.size(min(batchSize, len(pending)-start)))
		if err != nil {
			for _, i := range pending[start:] {
				errs[i] = err
			}
			break
		}
		chunk := pending[start : start+n]
		start += n
		wg.Add(1)
		go func() {
			defer wg.Done()
			sub := make([]string, len(chunk))
			for k, i := range chunk {
				sub[k] = paths[i]
			}
			var used string
			got, gotErrs := m.batch(withUsedToken(ctx, &used), sub)
			throttled := false
			for k, i := range chunk {
				bodies[i], errs[i] = got[k], gotErrs[k]
				if kind, _ := classify(gotErrs[k]); gotErrs[k] != nil && kind == staleAuth {
					m.tokens.Invalidate(used)
				}
				throttled = throttled || tooConcurrent(gotErrs[k])
			}
			m.inFlight.release(len(chunk), throttled)
		}()
	}
	wg.Wait()
}

// batch performs one batch request (or a plain GET for a single call).
func (m *mailbox) batch(ctx context.Context, paths []string) ([][]byte, []error) {
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
// the quota units of the calls, which is what the batch costs.
func (m *mailbox) batchBody(paths []string) ([]byte, string, int, error) {
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
		sub, err := http.NewRequest(http.MethodGet, m.cfg.gmailURL+"gmail/v1/users/me/"+p, nil)
		if err != nil {
			return nil, "", 0, err
		}
		units += unitsOf(sub)
		if err := sub.Write(pw); err != nil {
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
	bodies, errs := m.getMany(ctx, c, paths)
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
