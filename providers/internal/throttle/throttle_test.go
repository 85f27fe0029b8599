package throttle

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBackoffWait(t *testing.T) {
	t.Parallel()
	b := Backoff{First: 100 * time.Millisecond, Max: time.Second, Cap: 5 * time.Second}
	for i := 0; i < 200; i++ {
		for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 60: time.Second} {
			if got := b.Wait(attempt, 0, false); got < want/2 || got > want {
				t.Fatalf("attempt %d waited %v, want %v to %v", attempt, got, want/2, want)
			}
		}
		if got := b.Wait(1, 2*time.Second, true); got < 2*time.Second || got > 2*time.Second+410*time.Millisecond {
			t.Fatalf("Retry-After 2s waited %v", got)
		}
		if got := b.Wait(1, time.Hour, true); got < 5*time.Second || got > 6010*time.Millisecond {
			t.Fatalf("Retry-After 1h waited %v, want the 5s cap", got)
		}
		if got := b.Wait(3, 0, true); got > 10*time.Millisecond {
			t.Fatalf("Retry-After 0 waited %v", got)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]time.Duration{"3": 3 * time.Second, "0": 0} {
		if d, ok := RetryAfter(v); !ok || d != want {
			t.Errorf("RetryAfter(%q) = %v, %v", v, d, ok)
		}
	}
	for _, v := range []string{"", "soon", "-1"} {
		if d, ok := RetryAfter(v); ok {
			t.Errorf("RetryAfter(%q) = %v, true; want not ok", v, d)
		}
	}
	d, ok := RetryAfter(time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat))
	if !ok || d < 80*time.Second || d > 90*time.Second {
		t.Errorf("an HTTP date 90s ahead gave %v, %v", d, ok)
	}
}

func TestReleaseOnce(t *testing.T) {
	t.Parallel()
	n := 0
	resp := &http.Response{Body: io.NopCloser(strings.NewReader("x"))}
	Release(resp, func() { n++ })
	if n != 0 {
		t.Fatal("released before the body was closed")
	}
	resp.Body.Close()
	resp.Body.Close()
	if n != 1 {
		t.Errorf("released %d times, want once", n)
	}
}
