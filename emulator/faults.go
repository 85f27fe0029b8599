package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults are the failures the emulator injects into API requests (not into token or
// inspection requests). They can be changed while running (SetFaults, PUT /_emulator/faults).
type Faults struct {
	Latency            time.Duration   `json:"latency"`
	MailboxConcurrency int             `json:"mailboxConcurrency"`
	Fail               map[int]float64 `json:"fail"`
	Drop               float64         `json:"drop"`
}

func (f *Faults) validate() error {
	total := f.Drop
	if f.Drop < 0 || f.Drop > 1 {
		return fmt.Errorf("emulator: drop rate %v must be between 0 and 1", f.Drop)
	}
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
		return fmt.Errorf("emulator: fail and drop rates add up to %v, more than 1", total)
	}
	if f.Latency < 0 || f.MailboxConcurrency < 0 {
		return fmt.Errorf("emulator: latency and mailbox concurrency must not be negative")
	}
	return nil
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

// limiter counts in-flight API requests per mailbox.
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

// isAPI tells API requests (subject to faults) from sign-in and upload-session requests.
func isAPI(path string) bool {
	for _, p := range []string{"/v1.0/", "/gmail/", "/upload/gmail/", "/batch/gmail/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// middleware counts, then applies faults in the order a client would meet them: a dropped
// connection, latency, the mailbox concurrency limit, random failures.
func (s *Server) middleware(face string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.counts.add(face + " " + r.Method + " " + routeOf(r.URL.Path))
		start := time.Now()
		defer func() {
			s.cfg.Logger.Debug("request", "face", face, "method", r.Method, "path", r.URL.Path, "duration", time.Since(start))
		}()
		f := s.faults.Load()
		if !isAPI(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if f.Drop > 0 && rand.Float64() < f.Drop {
			panic(http.ErrAbortHandler) // net/http closes the connection without a response
		}
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if f.MailboxConcurrency > 0 {
			key := face + " " + mailboxOf(r)
			if !s.limiter.acquire(key, f.MailboxConcurrency) {
				writeFault(w, face, http.StatusTooManyRequests, true)
				return
			}
			defer s.limiter.release(key)
		}
		if len(f.Fail) > 0 {
			roll := rand.Float64()
			for _, status := range []int{429, 500, 503} {
				if roll < f.Fail[status] {
					writeFault(w, face, status, false)
					return
				}
				roll -= f.Fail[status]
			}
		}
		next.ServeHTTP(w, r)
	})
}

// mailboxOf is the user segment of an API path; "me" is told apart by its token.
func mailboxOf(r *http.Request) string {
	seg := strings.Split(r.URL.Path, "/")
	for i, s := range seg {
		if s == "users" && i+1 < len(seg) {
			if u := strings.ToLower(strings.ReplaceAll(seg[i+1], "%40", "@")); u != "me" {
				return u
			}
			return "me " + r.Header.Get("Authorization")
		}
	}
	return "batch " + r.Header.Get("Authorization")
}

// faultShape is how each service words a failure.
type faultShape struct{ graphCode, graphMsg, googleReason, googleMsg, googleStatus string }

var faultShapes = map[int]faultShape{
	429: {"TooManyRequests", "Too many requests.", "rateLimitExceeded", "Rate Limit Exceeded", "RESOURCE_EXHAUSTED"},
	500: {"generalException", "An internal server error occurred. The operation failed.", "backendError", "Backend Error", "INTERNAL"},
	503: {"ServiceUnavailable", "The service is temporarily unavailable. Please retry later.", "backendError", "The service is currently unavailable.", "UNAVAILABLE"},
}

// writeFault answers with the service's own throttling / failure shape.
func writeFault(w http.ResponseWriter, face string, status int, concurrency bool) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if status != http.StatusInternalServerError {
		h.Set("Retry-After", "1")
	}
	shape := faultShapes[status]
	var body any
	if face == "graph" {
		code, msg := shape.graphCode, shape.graphMsg
		if concurrency {
			code, msg = "ApplicationThrottled", "Application is over its MailboxConcurrency limit."
		}
		id := newRequestID()
		h.Set("request-id", id)
		h.Set("client-request-id", id)
		body = map[string]any{"error": map[string]any{"code": code, "message": msg, "innerError": map[string]string{
			"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": id, "client-request-id": id}}}
	} else {
		msg := shape.googleMsg
		if concurrency {
			msg = "Too many concurrent requests for user."
		}
		body = map[string]any{"error": map[string]any{"code": status, "message": msg,
			"errors": []map[string]string{{"message": msg, "domain": "global", "reason": shape.googleReason}}, "status": shape.googleStatus}}
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
