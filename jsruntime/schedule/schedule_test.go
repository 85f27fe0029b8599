package schedule

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/jsruntime/report"
)

// recorder is a report.Reporter that records events and flags concurrent calls.
type recorder struct {
	inside  atomic.Int32
	overlap bool
	events  []string
	summary report.Summary
}

func (r *recorder) enter(ev string) {
	if r.inside.Add(1) > 1 {
		r.overlap = true
	}
	r.events = append(r.events, ev)
	r.inside.Add(-1)
}
func (r *recorder) FileStarted(file string)                { r.enter("start " + file) }
func (r *recorder) TestStarted(file string, _ report.Test) { r.enter("test " + file) }
func (r *recorder) TestFinished(string, report.Test)       { r.enter("done") }
func (r *recorder) FileFinished(f report.File)             { r.enter("finish " + f.File) }
func (r *recorder) Finished(_ []report.File, s report.Summary) error {
	r.summary = s
	return nil
}

// fakeRun passes every file except those named fail*, reporting through rep like RunFile.
func fakeRun(running *atomic.Int32, peak *atomic.Int32, gate chan struct{}) RunFile {
	return func(ctx context.Context, path string, rep report.Reporter) report.File {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		defer running.Add(-1)
		rep.FileStarted(path)
		status := report.Passed
		if strings.HasPrefix(path, "fail") {
			status = report.Failed
		}
		if gate != nil {
			select {
			case <-gate:
			case <-ctx.Done():
				status = report.Failed
			}
		}
		t := report.Test{Name: "t", Status: status}
		rep.TestStarted(path, t)
		rep.TestFinished(path, t)
		f := report.File{File: path, Tests: []report.Test{t}}
		rep.FileFinished(f)
		return f
	}
}

func TestRunParallelAndOrdered(t *testing.T) {
	files := make([]string, 12)
	for i := range files {
		files[i] = fmt.Sprintf("f%02d.test.js", i)
	}
	files[5] = "fail.test.js"
	var running, peak atomic.Int32
	gate := make(chan struct{})
	var once sync.Once
	go func() {
		for peak.Load() < 3 {
			time.Sleep(time.Millisecond)
		}
		once.Do(func() { close(gate) })
	}()
	rec := &recorder{}
	done, sum, err := Run(context.Background(), files, Options{Parallel: 3}, fakeRun(&running, &peak, gate), rec)
	if err != nil {
		t.Fatal(err)
	}
	if peak.Load() != 3 {
		t.Errorf("peak parallelism = %d, want 3", peak.Load())
	}
	got := make([]string, len(done))
	for i, f := range done {
		got[i] = f.File
	}
	if !slices.Equal(got, files) {
		t.Errorf("results not in file order: %v", got)
	}
	if sum.Passed != 11 || sum.Failed != 1 || sum.Interrupted || rec.summary != sum {
		t.Errorf("summary = %+v (reporter saw %+v)", sum, rec.summary)
	}
	if rec.overlap {
		t.Error("reporter was called concurrently")
	}
}

func TestRunBailStopsStartingFiles(t *testing.T) {
	files := []string{"fail.test.js", "b.test.js", "c.test.js", "d.test.js"}
	var running, peak atomic.Int32
	rec := &recorder{}
	done, sum, _ := Run(context.Background(), files, Options{Parallel: 1, Bail: true}, fakeRun(&running, &peak, nil), rec)
	if len(done) != 1 || !sum.Interrupted || sum.Failed != 1 || sum.FilesNotRun != 3 {
		t.Fatalf("bail ran %d files, summary %+v", len(done), sum)
	}
}

func TestRunCancelledStillReports(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var running, peak atomic.Int32
	rec := &recorder{}
	_, sum, _ := Run(ctx, []string{"a.test.js", "b.test.js"}, Options{Parallel: 1}, fakeRun(&running, &peak, make(chan struct{})), rec)
	if !sum.Interrupted || rec.summary != sum {
		t.Fatalf("cancelled run summary %+v, reporter %+v", sum, rec.summary)
	}
}
