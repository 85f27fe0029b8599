package microsoft365

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// batchLimit is Graph's maximum number of requests in one $batch.
const batchLimit = 20

type subRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"`
	DependsOn []string          `json:"dependsOn,omitempty"`
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

// batch sends up to batchLimit GET sub-requests in one $batch and returns the answers in
// request order. Each call in a batch counts against the mailbox's limit of four concurrent
// requests, and Graph runs independent calls side by side, so a batch of 20 would throttle
// most of itself: the calls are chained with dependsOn instead, which Graph runs one after
// the other on one connection to the mailbox.
//
// A failed call fails the rest of the chain with 424. A throttled call is sent again after its
// Retry-After, at the end of a chain so that a second refusal holds nothing back; the calls
// it held back go again at once when the chain got anywhere (throttling is sporadic), else
// they wait too (the mailbox is refusing everything).
func (m *mailbox) batch(ctx context.Context, reqs []subRequest) ([]subResponse, error) {
	out := make([]subResponse, len(reqs))
	throttled := make([]int, len(reqs))
	notBefore := make([]time.Time, len(reqs))
	pending := make([]int, len(reqs))
	for i := range pending {
		pending[i] = i
	}
	for len(pending) > 0 {
		sort.SliceStable(pending, func(a, b int) bool { return throttled[pending[a]] < throttled[pending[b]] })
		var todo []int
		next := time.Time{}
		for _, j := range pending {
			if !time.Now().Before(notBefore[j]) {
				todo = append(todo, j)
			} else if next.IsZero() || notBefore[j].Before(next) {
				next = notBefore[j]
			}
		}
		if len(todo) == 0 {
			if err := providers.Sleep(ctx, time.Until(next)); err != nil {
				return nil, err
			}
			continue
		}
		answers, err := m.postChain(ctx, reqs, todo)
		if err != nil {
			return nil, err
		}
		settled := map[int]bool{} // answered for good, or not answered at all
		for _, j := range todo {
			settled[j] = true
		}
		var notRun []int
		latest := time.Time{}
		for _, r := range answers {
			j, err := strconv.Atoi(r.ID)
			if _, sent := settled[j]; err != nil || !sent {
				continue // not a call of this chain
			}
			out[j] = r
			switch {
			case r.Status == http.StatusFailedDependency:
				delete(settled, j)
				notRun = append(notRun, j)
			case retryable(r.Status) && throttled[j] < maxAttempts-1:
				delete(settled, j)
				throttled[j]++
				notBefore[j] = time.Now().Add(backoff(throttled[j], r.header("Retry-After")))
				latest = maxTime(latest, notBefore[j])
			}
		}
		if len(settled) == 0 {
			if latest.IsZero() {
				return out, nil // nothing but 424s: Graph ran none of the chain, nothing to learn
			}
			for _, j := range notRun {
				notBefore[j] = latest
			}
		}
		kept := pending[:0]
		for _, j := range pending {
			if !settled[j] {
				kept = append(kept, j)
			}
		}
		pending = kept
	}
	return out, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// postChain sends reqs[todo...] as one $batch, each call depending on the one before it.
func (m *mailbox) postChain(ctx context.Context, reqs []subRequest, todo []int) ([]subResponse, error) {
	send := make([]subRequest, len(todo))
	for k, j := range todo {
		send[k] = reqs[j]
		send[k].ID = strconv.Itoa(j)
		send[k].DependsOn = nil
		if k > 0 {
			send[k].DependsOn = []string{send[k-1].ID}
		}
	}
	body, _ := json.Marshal(map[string]any{"requests": send})
	resp, err := m.do(repeatable(ctx), op{"$batch", "Mail.Read"}, http.MethodPost, "/$batch", body, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var answer struct {
		Responses []subResponse `json:"responses"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return nil, providers.Errorf(providers.Unavailable, Name, "$batch: unreadable answer from Microsoft Graph: %v", err)
	}
	return answer.Responses, nil
}
