package report

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// terminal records what a reporter writes and announces every status line
// drawn, so a test knows when the status goroutine has handled a tick.
type terminal struct {
	mu    sync.Mutex
	buf   strings.Builder
	draws chan string
}

func newTerminal() *terminal { return &terminal{draws: make(chan string, 16)} }

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if s := string(p); strings.Contains(s, "●") {
		t.draws <- s
	}
	return len(p), nil
}

func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// clock is a settable time source shared with the status goroutine.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestStatusLine(t *testing.T) {
	term, clk, ticks := newTerminal(), &clock{now: time.Unix(0, 0)}, make(chan time.Time)
	r := NewPretty(term, PrettyOptions{TTY: true, Now: clk.Now, Ticks: ticks, Width: 40})
	r.FileStarted("a.test.js")
	slow := Test{Name: "waits for the reset mail", Path: []string{"reset"}}
	r.TestStarted("a.test.js", slow)

	clk.advance(2500 * time.Millisecond)
	ticks <- time.Time{}
	first := <-term.draws
	if want := eraseLine + "● a.test.js › reset > waits for…  2.5s"; first != want {
		t.Errorf("status line = %q, want %q", first, want)
	}
	r.FileStarted("b.test.js")
	r.TestStarted("b.test.js", Test{Name: "other"})
	clk.advance(time.Second)
	ticks <- time.Time{}
	second := <-term.draws
	if want := eraseLine + "● a.test.js › reset…  3.5s (+1 running)"; second != want {
		t.Errorf("status line = %q, want %q", second, want)
	}
	for _, d := range []string{first, second} {
		if len([]rune(strings.TrimPrefix(d, eraseLine))) > 39 {
			t.Errorf("status line wider than the terminal: %q", d)
		}
	}

	slow.Status, slow.Duration = Passed, 3500*time.Millisecond
	r.TestFinished("a.test.js", slow)
	r.FileFinished(File{File: "a.test.js", Tests: []Test{slow}})
	if err := r.Finished(nil, Summary{}); err != nil {
		t.Fatal(err)
	}
	want := "a.test.js\n" +
		eraseLine + "● a.test.js › reset > waits for…  2.5s" +
		eraseLine + "● a.test.js › reset…  3.5s (+1 running)" +
		eraseLine + "  reset\n    ✓ waits for the reset mail (3.50s)\n\nb.test.js\n" +
		"Files: 0 total\nTests: 0 total  Time: 0.00s\n"
	if got := term.String(); got != want {
		t.Errorf("terminal got\n%q\nwant\n%q", got, want)
	}
}

// TestStatusLineQuiet checks the cases where no status line may appear.
func TestStatusLineQuiet(t *testing.T) {
	tests := []struct {
		name    string
		tty     bool
		elapsed time.Duration
		running bool
	}{
		{"quick test", true, 900 * time.Millisecond, true},
		{"nothing running", true, 5 * time.Second, false},
		{"not a terminal", false, 5 * time.Second, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			term, clk, ticks := newTerminal(), &clock{now: time.Unix(0, 0)}, make(chan time.Time)
			r := NewPretty(term, PrettyOptions{TTY: tc.tty, Now: clk.Now, Ticks: ticks})
			r.FileStarted("a.test.js")
			if tc.running {
				r.TestStarted("a.test.js", Test{Name: "t"})
			}
			clk.advance(tc.elapsed)
			if tc.tty {
				// The second send returns only once the first tick was handled.
				ticks <- time.Time{}
				ticks <- time.Time{}
			} else if r.stop != nil {
				t.Fatal("a status goroutine runs although TTY is false")
			}
			if err := r.Finished(nil, Summary{}); err != nil {
				t.Fatal(err)
			}
			if got := term.String(); strings.Contains(got, "●") || strings.Contains(got, "\x1b") {
				t.Errorf("unexpected status line: %q", got)
			}
		})
	}
}

// TestStatusStopsCleanly runs the real ticker and checks Finished ends the
// goroutine: no draw may follow the summary.
func TestStatusStopsCleanly(t *testing.T) {
	term := newTerminal()
	r := NewPretty(term, PrettyOptions{TTY: true})
	r.FileStarted("a.test.js")
	r.TestStarted("a.test.js", Test{Name: "t"})
	if err := r.Finished(nil, Summary{}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	default:
		t.Fatal("the status goroutine is still running after Finished")
	}
	if err := r.Finished(nil, Summary{}); err != nil {
		t.Fatalf("a second Finished: %v", err)
	}
	if got := strings.Count(term.String(), "Tests:"); got != 1 {
		t.Errorf("summary written %d times", got)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{{"short", 10, "short"}, {"exactly", 7, "exactly"}, {"toolong", 4, "too…"}, {"cut at space", 5, "cut…"}, {"● ünï", 4, "● ü…"}, {"x", 0, ""}}
	for _, tc := range tests {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
