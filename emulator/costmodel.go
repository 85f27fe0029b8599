package emulator

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The cost model: what a call costs on the real services and when they refuse it. Each number
// here is a documented or measured figure; the README's emulator section names the sources.

// graphWindow is the span of Graph's per app and mailbox request limit (10,000 requests per
// 10 minutes, Microsoft Graph throttling limits, Outlook service).
const graphWindow = 10 * time.Minute

// gmailBurst is how many seconds of quota a user may spend at once. Google documents the
// per-user rate as a moving average that allows short bursts, and the Cloud console shows the
// same quota as 15,000 units per minute per user; a 10-second burst stays well inside that.
const gmailBurst = 10

// Realistic returns the --realistic preset: the services' documented limits, a service time
// and a latency as measured on real tenants. Faults other than these are left zero.
func Realistic() Faults {
	return Faults{
		// Round trip to a nearby Graph or Gmail front end from a cloud region or office.
		Latency: 25 * time.Millisecond,
		// Server time of a single-message GET on Exchange Online, as Graph reports it in
		// x-ms-ags-diagnostic / measured p50 on real tenants: about 100-150 ms.
		ServiceTime:       120 * time.Millisecond,
		GraphConcurrency:  4,     // MailboxConcurrency, documented
		GraphRequestLimit: 10000, // per app and mailbox per 10 minutes, documented
		GmailQuotaRate:    250,   // quota units per user per second, documented
		// Not published. Public measurements: 50-part batches pass on a rested mailbox, 60
		// parallel gets and 100-part batches get "Too many concurrent requests for user"
		// (amd/gaia#2720, amp-labs/connectors#2942); Google's batch guide warns above 50.
		GmailConcurrency: 50,
	}
}

// withDefaults gives the latency and cost-model settings left zero in f their value in d.
func (f *Faults) withDefaults(d Faults) {
	pick := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	if f.Latency == 0 {
		f.Latency = d.Latency
	}
	if f.ServiceTime == 0 {
		f.ServiceTime = d.ServiceTime
	}
	pick(&f.GraphConcurrency, d.GraphConcurrency)
	pick(&f.GraphRequestLimit, d.GraphRequestLimit)
	pick(&f.GmailQuotaRate, d.GmailQuotaRate)
	pick(&f.GmailConcurrency, d.GmailConcurrency)
}

// gmailUnits are the quota units of Gmail's methods (Gmail API usage limits, per-method
// table), keyed by method and route.
var gmailUnits = map[string]int{
	"GET /gmail/v1/users/{user}/profile":                        1,
	"GET /gmail/v1/users/{user}/labels":                         1,
	"GET /gmail/v1/users/{user}/labels/{id}":                    1,
	"POST /gmail/v1/users/{user}/labels":                        5,
	"PUT /gmail/v1/users/{user}/labels/{id}":                    5,
	"PATCH /gmail/v1/users/{user}/labels/{id}":                  5,
	"DELETE /gmail/v1/users/{user}/labels/{id}":                 5,
	"GET /gmail/v1/users/{user}/history":                        2,
	"GET /gmail/v1/users/{user}/messages":                       5,
	"GET /gmail/v1/users/{user}/messages/{id}":                  5,
	"GET /gmail/v1/users/{user}/messages/{id}/attachments/{id}": 5,
	"POST /gmail/v1/users/{user}/messages/{id}/modify":          5,
	"POST /gmail/v1/users/{user}/messages/{id}/trash":           5,
	"POST /gmail/v1/users/{user}/messages/{id}/untrash":         5,
	"DELETE /gmail/v1/users/{user}/messages/{id}":               10,
	"POST /gmail/v1/users/{user}/messages/send":                 100,
	"POST /gmail/v1/users/{user}/messages":                      25, // insert
	"POST /gmail/v1/users/{user}/messages/import":               25,
	"POST /gmail/v1/users/{user}/messages/batchModify":          50,
	"POST /gmail/v1/users/{user}/messages/batchDelete":          50,
	"GET /gmail/v1/users/{user}/threads":                        10,
	"GET /gmail/v1/users/{user}/threads/{id}":                   10,
	"GET /gmail/v1/users/{user}/drafts":                         5,
	"GET /gmail/v1/users/{user}/drafts/{id}":                    5,
	"POST /gmail/v1/users/{user}/drafts":                        10,
	"POST /gmail/v1/users/{user}/drafts/send":                   100,
}

// unitsOf is the quota a Gmail call costs; uploads cost what the same method costs, and a
// method missing from the table costs 5, the most common price.
func unitsOf(method, path string) int {
	route := method + " " + routeOf(strings.TrimPrefix(path, "/upload"))
	if u, ok := gmailUnits[route]; ok {
		return u
	}
	return 5
}

// throttle admits one API call under the cost model, or answers 429 as the service does and
// reports false. Admitted Graph calls spend the service time inside their concurrency slot.
// The returned release frees the slot; it is never nil.
func (s *Server) throttle(w http.ResponseWriter, r *http.Request, face string, f *Faults) (func(), bool) {
	release, ok := s.throttleFace(w, r, face, f)
	if !ok && r.Context().Err() == nil {
		s.counts.addThrottled(face)
	}
	return release, ok
}

func (s *Server) throttleFace(w http.ResponseWriter, r *http.Request, face string, f *Faults) (release func(), ok bool) {
	noop := func() {}
	if face == "graph" {
		return s.throttleGraph(w, r, f)
	}
	key := s.mailboxKey(face, r)
	if key == "" {
		return noop, true
	}
	release = noop
	if f.GmailConcurrency > 0 {
		if !s.limiter.acquire(key, f.GmailConcurrency) {
			noteFault(w, "gmailConcurrency")
			writeFault(w, face, apiRequest, http.StatusTooManyRequests, true)
			return noop, false
		}
		release = func() { s.limiter.release(key) }
	}
	if f.GmailQuotaRate > 0 && !s.cost.spend(key, unitsOf(r.Method, r.URL.Path), f.GmailQuotaRate) {
		release()
		noteFault(w, "gmailQuota")
		writeGmailQuota(w)
		return noop, false
	}
	return release, true
}

func (s *Server) throttleGraph(w http.ResponseWriter, r *http.Request, f *Faults) (func(), bool) {
	noop := func() {}
	key := s.mailboxKey("graph", r)
	if key == "" {
		return noop, true
	}
	key += " app " + s.appOf(r)
	if f.GraphRequestLimit > 0 {
		if wait, ok := s.cost.count(key, f.GraphRequestLimit); !ok {
			noteFault(w, "graphRequestLimit")
			writeGraphThrottle(w, wait, "Application is over its Request limit for this mailbox.")
			return noop, false
		}
	}
	release := noop
	if f.GraphConcurrency > 0 {
		if !s.limiter.acquire(key, f.GraphConcurrency) {
			noteFault(w, "graphConcurrency")
			writeGraphThrottle(w, time.Second, "Application is over its MailboxConcurrency limit.")
			return noop, false
		}
		release = func() { s.limiter.release(key) }
	}
	if !sleep(r.Context(), f.ServiceTime) {
		release()
		return noop, false
	}
	return release, true
}

// appOf is the client id of the bearer token's app, so that each app has its own limits on a
// mailbox as on Graph; "" when the token is unknown (the face answers 401).
func (s *Server) appOf(r *http.Request) string {
	raw := strings.TrimSpace(r.Header.Get("Authorization"))
	if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
		raw = strings.TrimSpace(raw[7:])
	}
	tok, _ := s.store.LookupToken(raw)
	return tok.ClientID
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// writeGraphThrottle is Graph's 429 for an Outlook limit: ApplicationThrottled, naming the
// limit, with Retry-After in whole seconds.
func writeGraphThrottle(w http.ResponseWriter, wait time.Duration, msg string) {
	h := w.Header()
	body := graphFault(h, http.StatusTooManyRequests, true).(map[string]any)
	body["error"].(map[string]any)["message"] = msg
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	w.WriteHeader(http.StatusTooManyRequests)
	_ = json.NewEncoder(w).Encode(body)
}

// writeGmailQuota is Gmail's per-user rate 429. Like Gmail it carries no Retry-After.
func writeGmailQuota(w http.ResponseWriter) {
	const msg = "User-rate limit exceeded."
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": 429, "message": msg,
		"errors": []map[string]string{{"message": msg, "domain": "usageLimits", "reason": "rateLimitExceeded"}}, "status": "RESOURCE_EXHAUSTED"}})
}

// costState holds the rate limits' memory: Graph's request log per app and mailbox, and
// Gmail's quota bucket per user.
type costState struct {
	mu      sync.Mutex
	now     func() time.Time // tests move the clock
	graph   map[string][]time.Time
	buckets map[string]*bucket
}

type bucket struct {
	units float64
	at    time.Time
}

func (c *costState) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// count records one Graph call for key if fewer than limit were made in the last 10
// minutes; otherwise it reports how long until one of them leaves the window.
func (c *costState) count(key string, limit int) (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.graph == nil {
		c.graph = map[string][]time.Time{}
	}
	now := c.clock()
	log := c.graph[key]
	i := 0
	for i < len(log) && now.Sub(log[i]) >= graphWindow {
		i++
	}
	log = log[i:]
	if len(log) >= limit {
		c.graph[key] = log
		return log[0].Add(graphWindow).Sub(now), false
	}
	c.graph[key] = append(log, now)
	return 0, true
}

// spend takes units from key's bucket, which holds gmailBurst seconds of rate and refills at
// rate per second; it reports false, taking nothing, when the bucket has too little.
func (c *costState) spend(key string, units, rate int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buckets == nil {
		c.buckets = map[string]*bucket{}
	}
	now, full := c.clock(), float64(rate*gmailBurst)
	b := c.buckets[key]
	if b == nil {
		b = &bucket{units: full, at: now}
		c.buckets[key] = b
	}
	b.units = min(full, b.units+now.Sub(b.at).Seconds()*float64(rate))
	b.at = now
	if b.units < float64(units) {
		return false
	}
	b.units -= float64(units)
	return true
}
