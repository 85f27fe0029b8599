package emulator

import (
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
)

// counters count requests per face and route ("graph GET /v1.0/users/{user}/messages"),
// and per face the totals a benchmark reports as requests per operation.
type counters struct {
	mu     sync.Mutex
	n      map[string]int64
	totals map[string]*Totals
}

// Totals sums one face's traffic since start or the last ResetCounts. Requests to /_emulator
// are never counted.
type Totals struct {
	// Requests are the face's API HTTP requests: Graph, Gmail and upload sessions, a batch
	// counting once. Sign-in is not included. This is what a client pays in round trips.
	Requests int64 `json:"requests"`
	// Calls are API calls as the services' quotas count them: every API request except batch
	// envelopes, plus every call inside a batch.
	Calls int64 `json:"calls"`
	// BatchCalls are the calls that arrived inside a batch (a part of Calls).
	BatchCalls int64 `json:"batchCalls"`
	// SignIn are token, OpenID configuration and discovery requests.
	SignIn int64 `json:"signIn"`
	// Throttled are the calls the cost model refused with 429 (concurrency, request limit or
	// quota); injected --fail 429s are not included.
	Throttled int64 `json:"throttled"`
}

func (c *counters) bump(face, route string, f func(*Totals)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n, c.totals = map[string]int64{}, map[string]*Totals{}
	}
	c.n[face+" "+route]++
	t := c.totals[face]
	if t == nil {
		t = &Totals{}
		c.totals[face] = t
	}
	f(t)
}

// add counts one HTTP request that reached a face.
func (c *counters) add(face string, kind requestKind, batch bool, route string) {
	c.bump(face, route, func(t *Totals) {
		switch {
		case kind != apiRequest:
			t.SignIn++
		case batch:
			t.Requests++
		default:
			t.Requests++
			t.Calls++
		}
	})
}

// addCall counts one call inside a batch, on its own route.
func (c *counters) addCall(face, route string) {
	c.bump(face, route, func(t *Totals) {
		t.Calls++
		t.BatchCalls++
	})
}

// addThrottled counts one call the cost model refused.
func (c *counters) addThrottled(face string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.totals == nil {
		c.n, c.totals = map[string]int64{}, map[string]*Totals{}
	}
	if c.totals[face] == nil {
		c.totals[face] = &Totals{}
	}
	c.totals[face].Throttled++
}

// Counts returns the number of requests served per face and route since start or the last
// ResetCounts, keyed like "graph GET /v1.0/users/{user}/messages/{id}". A call inside a batch
// is counted on its own route, and the batch itself on its endpoint's.
func (s *Server) Counts() map[string]int64 {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	out := make(map[string]int64, len(s.counts.n))
	for k, v := range s.counts.n {
		out[k] = v
	}
	return out
}

// Totals returns the per-face sums of the counters, keyed "graph" and "gmail".
func (s *Server) Totals() map[string]Totals {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	out := map[string]Totals{"graph": {}, "gmail": {}}
	for face, t := range s.counts.totals {
		out[face] = *t
	}
	return out
}

// ResetCounts zeroes the request counters, so a benchmark can count one operation.
func (s *Server) ResetCounts() {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	s.counts.n, s.counts.totals = nil, nil
}

// idParents are path segments followed by an id.
var idParents = map[string]bool{
	"messages": true, "attachments": true, "mailFolders": true, "childFolders": true, "labels": true, "threads": true, "drafts": true,
}

// actions are path segments that name an operation, never an id.
var actions = map[string]bool{
	"delta": true, "delta()": true, "$value": true, "send": true, "move": true, "copy": true, "createUploadSession": true,
	"batchModify": true, "batchDelete": true, "import": true, "insert": true, "permanentDelete": true, "trash": true,
	"untrash": true, "modify": true, "messages": true, "attachments": true, "childFolders": true,
}

// routeOf turns a path into its route template: users, tenants and ids become placeholders.
func routeOf(path string) string {
	seg := strings.Split(path, "/")
	if len(seg) > 2 && (seg[2] == "oauth2" || seg[2] == "v2.0" || seg[2] == "discovery") && seg[1] != "google" {
		seg[1] = "{tenant}"
	}
	if strings.HasPrefix(path, "/api/v2.0/") {
		return "/api/v2.0/{uploadSession}"
	}
	for i := 1; i < len(seg); i++ {
		switch {
		case seg[i-1] == "users":
			seg[i] = "{user}"
		case idParents[seg[i-1]] && !actions[seg[i]] && seg[i] != "":
			seg[i] = "{id}"
		}
	}
	return strings.Join(seg, "/")
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
