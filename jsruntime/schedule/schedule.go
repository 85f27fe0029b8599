package schedule

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailscript/mailscript/jsruntime/report"
)

// RunFile runs one file; jsruntime.RunFile with the run's options bound is the usual one.
type RunFile func(ctx context.Context, path string, rep report.Reporter) report.File

// Options tune a run.
type Options struct {
	Parallel int  // files at once; values below 1 mean 1
	Bail     bool // stop starting files, and cancel running ones, after the first failure
}

// Run runs files through run and reports to rep. It returns every finished file's result in
// the order of files (files never started are left out) and the summary, already passed to
// rep.Finished. Cancelling ctx (Ctrl-C) interrupts running files; the reports are still written.
func Run(parent context.Context, files []string, opts Options, run RunFile, rep report.Reporter) ([]report.File, report.Summary, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	rep = &serialized{r: rep}
	parallel := max(opts.Parallel, 1)

	results := make([]*report.File, len(files))
	var (
		wg      sync.WaitGroup
		next    = make(chan int)
		stopped atomic.Bool
	)
	for range min(parallel, len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					continue // bailed or interrupted: files not started are left out
				}
				f := run(ctx, files[i], rep)
				results[i] = &f
				if opts.Bail && failed(f) {
					stopped.Store(true)
					cancel()
				}
			}
		}()
	}
feed:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()

	done := make([]report.File, 0, len(files))
	for _, f := range results {
		if f != nil {
			done = append(done, *f)
		}
	}
	summary := report.Summarize(done, time.Since(start))
	summary.Interrupted = stopped.Load() || len(done) < len(files) || parent.Err() != nil
	summary.FilesNotRun = len(files) - len(done)
	return done, summary, rep.Finished(done, summary)
}

func failed(f report.File) bool {
	if f.Error != nil {
		return true
	}
	for _, t := range f.Tests {
		if t.Status == report.Failed {
			return true
		}
	}
	return false
}

// serialized makes a reporter safe for files reporting from several goroutines.
type serialized struct {
	mu sync.Mutex
	r  report.Reporter
}

func (s *serialized) FileStarted(file string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.FileStarted(file)
}

func (s *serialized) TestStarted(file string, t report.Test) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.TestStarted(file, t)
}

func (s *serialized) TestFinished(file string, t report.Test) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.TestFinished(file, t)
}

func (s *serialized) FileFinished(f report.File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.FileFinished(f)
}

func (s *serialized) Finished(files []report.File, sum report.Summary) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.Finished(files, sum)
}
