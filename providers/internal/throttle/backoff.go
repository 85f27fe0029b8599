package throttle

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Backoff is a retry schedule: waits double from First up to Max, and a wait the service asked
// for (Retry-After) replaces the schedule's, up to Cap.
type Backoff struct {
	First, Max, Cap time.Duration
}

// Wait is how long to pause after failed attempt number attempt (1 for the first). The
// schedule's wait is jittered down to half, and a requested one up by a fifth (and 10 ms), so
// that parallel callers refused together do not come back in lockstep; a requested wait is
// never cut short.
func (b Backoff) Wait(attempt int, asked time.Duration, wasAsked bool) time.Duration {
	if wasAsked {
		d := min(max(asked, 0), b.Cap)
		return d + rand.N(d/5+10*time.Millisecond)
	}
	d := b.Max
	if attempt < 1 {
		attempt = 1
	}
	if shift := attempt - 1; shift < 32 && b.First<<shift < b.Max && b.First<<shift > 0 {
		d = b.First << shift
	}
	return d/2 + rand.N(d/2+1)
}

// RetryAfter reads a Retry-After value, delay-seconds or an HTTP date; ok is false when there
// is none or it cannot be read.
func RetryAfter(v string) (d time.Duration, ok bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}
