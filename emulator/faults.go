package emulator

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults are the failures the emulator injects. They apply to API requests (Graph, Gmail,
// uploads, and each call inside a batch), to token requests only when SignIn is set, and never
// to /_emulator requests. They can be changed while running (SetFaults, PUT /_emulator/faults).
type Faults struct {
	// Latency is added once to every faulted HTTP request (not per call inside a batch: the
	// services run those side by side).
	Latency time.Duration `json:"latency"`
	// ServiceTime is how long Graph takes to serve one call, spent inside the call's
	// GraphConcurrency slot (Graph only: Gmail's cost is its quota).
	ServiceTime time.Duration `json:"serviceTime"`
	// GraphConcurrency limits Graph calls in progress per app and mailbox, plain or inside a
	// $batch (Graph's MailboxConcurrency, 4); excess calls get 429 ApplicationThrottled.
	GraphConcurrency int `json:"graphConcurrency"`
	// GraphRequestLimit limits Graph calls per app and mailbox in any 10 minutes (10,000).
	GraphRequestLimit int `json:"graphRequestLimit"`
	// GmailQuotaRate is Gmail's per-user quota in units per second (250), each call charged
	// its method's units (a batch each of its calls), as a moving window allowing bursts.
	GmailQuotaRate int `json:"gmailQuotaRate"`
	// GmailConcurrency limits Gmail calls in progress per user, a batch's calls all at once;
	// excess calls get 429 "Too many concurrent requests for user".
	GmailConcurrency int `json:"gmailConcurrency"`
	// Fail maps 429, 500 or 503 to the probability of failing a request or batch call with it.
	Fail map[int]float64 `json:"fail"`
	// Drop is the probability of closing the connection before the request is served.
	Drop float64 `json:"drop"`
	// DropAfter is the probability of serving the request (its effects happen) and then
	// closing the connection without the answer: "the send worked but the reply was lost".
	DropAfter float64 `json:"dropAfter"`
	// SignIn extends Latency, Fail, Drop and DropAfter to the token endpoints (Entra and
	// Google), which real services also fail now and then. Off by default so that fault runs
	// exercise API retries without making every sign-in a gamble.
	SignIn bool `json:"signIn"`
}

// faultStatuses are the statuses Fail may inject, in the order a roll is checked against them.
var faultStatuses = []int{429, 500, 503}

func (f *Faults) validate() error {
	for _, r := range []struct {
		name string
		p    float64
	}{{"drop", f.Drop}, {"drop-after", f.DropAfter}} {
		if r.p < 0 || r.p > 1 {
			return fmt.Errorf("emulator: %s rate %v must be between 0 and 1", r.name, r.p)
		}
	}
	total := f.Drop + f.DropAfter
	for status, p := range f.Fail {
		if status != 429 && status != 500 && status != 503 {
			return fmt.Errorf("emulator: fail status %d: only 429, 500 and 503 can be injected", status)
		}
		if p < 0 || p > 1 {
			return fmt.Errorf("emulator: fail rate %v for %d must be between 0 and 1", p, status)
		}
		total += p
	}
	if total > 1 {
		return fmt.Errorf("emulator: fail, drop and drop-after rates add up to %v, more than 1", total)
	}
	if f.Latency < 0 || f.ServiceTime < 0 || f.GraphConcurrency < 0 || f.GraphRequestLimit < 0 || f.GmailQuotaRate < 0 || f.GmailConcurrency < 0 {
		return fmt.Errorf("emulator: latency, service time, concurrency limits and rates must not be negative")
	}
	if f.GmailQuotaRate > 0 && f.GmailQuotaRate*gmailBurst < 100 {
		return fmt.Errorf("emulator: gmail quota rate %d is too low for a send (100 units) ever to pass: use at least 10 units/s, or 0 for no quota", f.GmailQuotaRate)
	}
	return nil
}

// outcome is the random fault one request meets: a status to fail with, or a dropped
// connection before or after serving it.
type outcome struct {
	status          int
	drop, dropAfter bool
}

// draw picks one outcome from a single roll, so that the configured rates are exact
// probabilities that add up, as validate checks.
func (f *Faults) draw(roll func() float64) outcome {
	if len(f.Fail) == 0 && f.Drop == 0 && f.DropAfter == 0 {
		return outcome{}
	}
	r := roll()
	for _, status := range faultStatuses {
		if r < f.Fail[status] {
			return outcome{status: status}
		}
		r -= f.Fail[status]
	}
	if r < f.Drop {
		return outcome{drop: true}
	}
	return outcome{dropAfter: r-f.Drop < f.DropAfter}
}

// ParseFail parses "429=0.1,503=0.05" (the --fail flag) into Config.Fail.
func ParseFail(s string) (map[int]float64, error) {
	out := map[int]float64{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		status, err1 := strconv.Atoi(strings.TrimSpace(k))
		p, err2 := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("--fail %q: want STATUS=RATE pairs like 429=0.1,503=0.05", s)
		}
		out[status] = p
	}
	f := Faults{Fail: out}
	return out, f.validate()
}

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.faults.Store(&f)
	return nil
}

// CurrentFaults returns the faults in force.
func (s *Server) CurrentFaults() Faults { return *s.faults.Load() }

// Summary lists the faults and costs in effect, for the banner: "none" when the emulator
// answers at once and never fails.
func (f Faults) Summary() string {
	var parts []string
	add := func(on bool, format string, v any) {
		if on {
			parts = append(parts, fmt.Sprintf(format, v))
		}
	}
	add(f.Latency > 0, "latency %v", f.Latency)
	add(f.ServiceTime > 0, "Graph service time %v", f.ServiceTime)
	add(f.GraphConcurrency > 0, "Graph concurrency %d", f.GraphConcurrency)
	add(f.GraphRequestLimit > 0, "%d Graph calls/10 min", f.GraphRequestLimit)
	add(f.GmailQuotaRate > 0, "Gmail %d units/s", f.GmailQuotaRate)
	add(f.GmailConcurrency > 0, "Gmail concurrency %d", f.GmailConcurrency)
	for _, code := range slices.Sorted(maps.Keys(f.Fail)) {
		add(f.Fail[code] > 0, "fail %s", fmt.Sprintf("%d=%g", code, f.Fail[code]))
	}
	add(f.Drop > 0, "drop %g", f.Drop)
	add(f.DropAfter > 0, "drop after %g", f.DropAfter)
	add(f.SignIn && len(parts) > 0, "%s", "sign-in too")
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// limiter counts in-flight API calls per mailbox.
type limiter struct {
	mu       sync.Mutex
	inFlight map[string]int
}

func (l *limiter) acquire(key string, limit int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight == nil {
		l.inFlight = map[string]int{}
	}
	if l.inFlight[key] >= limit {
		return false
	}
	l.inFlight[key]++
	return true
}

func (l *limiter) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight[key]--; l.inFlight[key] <= 0 {
		delete(l.inFlight, key)
	}
}
