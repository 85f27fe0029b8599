package report

import "errors"

// multi fans every event out to several reporters.
type multi []Reporter

// Multi returns a reporter that passes every event to each of reps in turn;
// Finished reaches all of them and joins their errors.
func Multi(reps ...Reporter) Reporter { return multi(reps) }

func (m multi) FileStarted(file string) {
	for _, r := range m {
		r.FileStarted(file)
	}
}

func (m multi) TestStarted(file string, t Test) {
	for _, r := range m {
		r.TestStarted(file, t)
	}
}

func (m multi) TestFinished(file string, t Test) {
	for _, r := range m {
		r.TestFinished(file, t)
	}
}

func (m multi) FileFinished(f File) {
	for _, r := range m {
		r.FileFinished(f)
	}
}

func (m multi) Finished(files []File, s Summary) error {
	var errs []error
	for _, r := range m {
		errs = append(errs, r.Finished(files, s))
	}
	return errors.Join(errs...)
}
