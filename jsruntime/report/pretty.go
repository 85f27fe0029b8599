package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// PrettyOptions tunes the pretty and dots reporters.
type PrettyOptions struct {
	Colors  bool // ANSI colours; the caller turns them off for NO_COLOR and non-terminals
	TTY     bool // w is a terminal: enables the live status line of the pretty reporter
	Verbose bool // print every test's console output, not only that of failing tests

	// Now is the clock behind the status line's elapsed times; nil means time.Now.
	Now func() time.Time
	// Ticks triggers status line redraws; nil means every 100ms. Tests inject their own.
	Ticks <-chan time.Time
	// Width is the terminal's column count, so the status line never wraps; 0 means 80.
	Width int
}

// Pretty writes one block per file with a line per test, then the failures
// and a summary. Files that run in parallel are shown one after another, in
// the order they started: the first streams, the others are held back until
// their turn so that blocks never interleave.
type Pretty struct {
	opts PrettyOptions
	p    palette

	mu       sync.Mutex // guards everything below; the status goroutine shares it
	w        io.Writer
	err      error
	queue    []*fileBlock // started files not yet printed in full; queue[0] streams
	blocks   map[string]*fileBlock
	running  map[string]runningTest // by file
	shown    bool                   // the status line is on screen
	stop     chan struct{}
	done     chan struct{}
	finished bool
}

type fileBlock struct {
	name     string
	buf      strings.Builder
	lastPath []string // describe path of the previous test line, to print only new headers
	done     bool
}

// NewPretty returns a pretty reporter writing to w.
func NewPretty(w io.Writer, opts PrettyOptions) *Pretty {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Width <= 0 {
		opts.Width = 80
	}
	return &Pretty{
		opts:    opts,
		p:       palette(opts.Colors),
		w:       w,
		blocks:  map[string]*fileBlock{},
		running: map[string]runningTest{},
	}
}

// FileStarted prints the file's header (or holds it while another file streams).
func (r *Pretty) FileStarted(file string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.opts.TTY && r.stop == nil && !r.finished {
		r.startStatus()
	}
	r.block(file)
	r.flushQueue()
}

// TestStarted records the test for the live status line.
func (r *Pretty) TestStarted(file string, t Test) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running[file] = runningTest{name: file + " › " + t.FullName(), start: r.opts.Now()}
}

// TestFinished prints the test's line under any describe headers it opens.
func (r *Pretty) TestFinished(file string, t Test) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.running, file)
	b := r.block(file)
	common := 0
	for common < len(b.lastPath) && common < len(t.Path) && b.lastPath[common] == t.Path[common] {
		common++
	}
	for i := common; i < len(t.Path); i++ {
		b.buf.WriteString(strings.Repeat("  ", i+1) + t.Path[i] + "\n")
	}
	b.lastPath = t.Path
	pad := strings.Repeat("  ", len(t.Path)+1)
	switch {
	case t.Flaky():
		b.buf.WriteString(pad + r.p.yellow("± "+t.Name) + " " + r.p.dim("("+testDuration(t.Duration)+")") +
			" " + r.p.yellow(fmt.Sprintf("flaky: passed on attempt %d", t.Attempts())) + "\n")
	case t.Status == Passed:
		b.buf.WriteString(pad + r.p.green("✓") + " " + t.Name + " " + r.p.dim("("+testDuration(t.Duration)+")") + "\n")
	case t.Status == Interrupted:
		b.buf.WriteString(pad + r.p.yellow("⊘ "+t.Name+" (interrupted)") + " " + r.p.dim("("+testDuration(t.Duration)+")") + "\n")
	case t.Status == Failed:
		b.buf.WriteString(pad + r.p.red("✗ "+t.Name) + " " + r.p.dim("("+testDuration(t.Duration)+")") + "\n")
	default:
		b.buf.WriteString(pad + r.p.yellow("↓ "+t.Name) + "\n")
	}
	if r.opts.Verbose && strings.TrimSpace(t.Output) != "" {
		b.buf.WriteString(indent(r.p.dim(t.Output), pad+"    "))
	}
	r.flushQueue()
}

// FileFinished prints a file-level error and closes the file's block.
func (r *Pretty) FileFinished(f File) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.running, f.File)
	b := r.block(f.File)
	if f.Error != nil {
		b.buf.WriteString("  " + r.p.red("✗ "+fileErrorName+" "+errorHeadline(f.Error)) + "\n")
	}
	if r.opts.Verbose && strings.TrimSpace(f.Output) != "" {
		b.buf.WriteString("  " + r.p.dim("console output outside tests:") + "\n" + indent(r.p.dim(f.Output), "      "))
	}
	b.buf.WriteString("\n")
	b.done = true
	r.flushQueue()
}

// Finished stops the status line, prints whatever is still held back, then
// the failures and the summary. It returns the first write error of the run.
func (r *Pretty) Finished(files []File, s Summary) error {
	r.mu.Lock()
	if r.finished {
		defer r.mu.Unlock()
		return r.err
	}
	r.finished = true
	stop, done := r.stop, r.done
	r.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, blk := range r.queue {
		b.WriteString(blk.buf.String())
	}
	r.queue = nil
	writeFailures(&b, files, r.p)
	writeSummary(&b, files, s, r.p)
	r.out(b.String())
	return r.err
}

// block returns the file's block, starting one for a file whose FileStarted
// was not seen, so that no result is ever dropped.
func (r *Pretty) block(file string) *fileBlock {
	if b, ok := r.blocks[file]; ok {
		return b
	}
	b := &fileBlock{name: file}
	b.buf.WriteString(r.p.bold(file) + "\n")
	r.blocks[file] = b
	r.queue = append(r.queue, b)
	return b
}

// flushQueue writes what the streaming file has so far, and moves on to the
// next file whenever the streaming one is done.
func (r *Pretty) flushQueue() {
	for len(r.queue) > 0 {
		head := r.queue[0]
		if head.buf.Len() > 0 {
			r.out(head.buf.String())
			head.buf.Reset()
		}
		if !head.done {
			return
		}
		r.queue = r.queue[1:]
		delete(r.blocks, head.name)
	}
}

// out writes normal output, erasing the status line first. Callers hold mu.
func (r *Pretty) out(s string) {
	r.eraseStatus()
	r.write(s)
}

func (r *Pretty) write(s string) {
	if r.err != nil || s == "" {
		return
	}
	_, r.err = io.WriteString(r.w, s)
}
