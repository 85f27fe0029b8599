package report

import (
	"fmt"
	"strings"
	"time"
)

// statusAfter keeps quick tests from flashing a status line: only a test
// running this long is worth showing.
const statusAfter = time.Second

// eraseLine returns the cursor to column 0 and clears the line.
const eraseLine = "\r\x1b[2K"

type runningTest struct {
	name  string
	start time.Time
}

// startStatus runs the goroutine that redraws the status line on each tick
// until Finished closes stop. Callers hold mu.
func (r *Pretty) startStatus() {
	ticks := r.opts.Ticks
	var ticker *time.Ticker
	if ticks == nil {
		ticker = time.NewTicker(100 * time.Millisecond)
		ticks = ticker.C
	}
	stop, done := make(chan struct{}), make(chan struct{})
	r.stop, r.done = stop, done
	go func() {
		defer close(done)
		if ticker != nil {
			defer ticker.Stop()
		}
		for {
			select {
			case <-stop:
				return
			case _, ok := <-ticks:
				if !ok {
					return
				}
				r.drawStatus()
			}
		}
	}()
}

// drawStatus shows the longest-running test with its elapsed time, on one
// line that the next normal output erases.
func (r *Pretty) drawStatus() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.finished {
		return
	}
	var oldest runningTest
	for _, t := range r.running {
		if oldest.name == "" || t.start.Before(oldest.start) ||
			(t.start.Equal(oldest.start) && t.name < oldest.name) {
			oldest = t
		}
	}
	elapsed := r.opts.Now().Sub(oldest.start)
	if oldest.name == "" || elapsed < statusAfter {
		r.eraseStatus()
		return
	}
	tail := fmt.Sprintf("  %.1fs", elapsed.Seconds())
	if more := len(r.running) - 1; more > 0 {
		tail += fmt.Sprintf(" (+%d running)", more)
	}
	head := truncate("● "+oldest.name, r.opts.Width-1-len([]rune(tail)))
	r.write(eraseLine + r.p.yellow(head) + r.p.dim(tail))
	r.shown = true
}

// eraseStatus removes the status line if it is on screen. Callers hold mu.
func (r *Pretty) eraseStatus() {
	if r.shown {
		r.write(eraseLine)
		r.shown = false
	}
}

// truncate shortens s to n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return strings.TrimRight(string(rs[:n-1]), " ") + "…"
}
