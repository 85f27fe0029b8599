package report

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// recorder logs the events it receives and fails Finished on demand.
type recorder struct {
	events []string
	err    error
}

func (r *recorder) FileStarted(file string)          { r.events = append(r.events, "file "+file) }
func (r *recorder) TestStarted(file string, t Test)  { r.events = append(r.events, "start "+t.Name) }
func (r *recorder) TestFinished(file string, t Test) { r.events = append(r.events, "end "+t.Name) }
func (r *recorder) FileFinished(f File)              { r.events = append(r.events, "done "+f.File) }
func (r *recorder) Finished(files []File, s Summary) error {
	r.events = append(r.events, fmt.Sprintf("finished %d files, %d passed", len(files), s.Passed))
	return r.err
}

func TestMulti(t *testing.T) {
	errA, errB := errors.New("disk full"), errors.New("closed pipe")
	tests := []struct {
		name     string
		errs     []error
		wantErrs []error
	}{
		{"all succeed", []error{nil, nil}, nil},
		{"one fails, the other still finishes", []error{errA, nil}, []error{errA}},
		{"both fail", []error{errA, errB}, []error{errA, errB}},
	}
	f := File{File: "a.test.js", Tests: []Test{{Name: "t1", Status: Passed}}}
	wantEvents := []string{"file a.test.js", "start t1", "end t1", "done a.test.js", "finished 1 files, 1 passed"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var recs []*recorder
			var reps []Reporter
			for _, e := range tc.errs {
				rec := &recorder{err: e}
				recs = append(recs, rec)
				reps = append(reps, rec)
			}
			err := replay(Multi(reps...), []File{f}, Summarize([]File{f}, 0))
			for i, rec := range recs {
				if !slices.Equal(rec.events, wantEvents) {
					t.Errorf("reporter %d got %v, want %v", i, rec.events, wantEvents)
				}
			}
			if len(tc.wantErrs) == 0 && err != nil {
				t.Errorf("unexpected error %v", err)
			}
			for _, want := range tc.wantErrs {
				if !errors.Is(err, want) {
					t.Errorf("error %v does not include %v", err, want)
				}
			}
		})
	}
}
