package report

import "time"

// Status is a test's outcome.
type Status string

// The outcomes a test can have.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Skipped Status = "skipped"
	// Interrupted is a test that was running when the run stopped (Ctrl-C, or --bail after a
	// failure elsewhere): it did not fail, it did not finish.
	Interrupted Status = "interrupted"
)

// Error describes why a test (or a whole file) failed, already mapped to the user's sources.
type Error struct {
	Name     string // "AssertionError", "TypeError", "TimeoutError", ...
	Message  string
	Stack    string // user-facing stack: file:line:col frames of the user's sources
	Location string // file:line:col of the failure in the user's source, "" if unknown
	Source   string // the offending source line(s) with a caret, "" if unknown
	Diff     string // expected/received diff for assertion failures, "" otherwise
	Code     string // err.code for provider errors (AUTH_FAILED, ...), "" otherwise
}

// Test is one test's result.
type Test struct {
	Name     string   // the test's own name
	Path     []string // enclosing describe names, outermost first
	Status   Status
	Duration time.Duration
	Error    *Error
	Output   string // console output written while the test ran (every attempt's)
	// Retries are the failures of the attempts --retries ran again, in order; the last
	// attempt's outcome is Status and Error. A test that passed after failing is flaky.
	Retries []*Error
	// Steps are the last attempt's mail calls, fetches and console lines, recorded only when a
	// reporter asks for them (the HTML report).
	Steps []Step
}

// Flaky reports a test that passed on a retry after failing.
func (t Test) Flaky() bool { return t.Status == Passed && len(t.Retries) > 0 }

// Attempts is how many times the test ran.
func (t Test) Attempts() int { return len(t.Retries) + 1 }

// FullName joins the describe path and the name with " > ".
func (t Test) FullName() string {
	name := ""
	for _, p := range t.Path {
		name += p + " > "
	}
	return name + t.Name
}

// File is one test file's result.
type File struct {
	File     string // path as given to the runner, relative when possible
	Tests    []Test
	Duration time.Duration
	Error    *Error // a failure outside any test: syntax error, failing beforeAll/afterAll, load error
	Output   string // console output not attributed to a test
}

// Summary counts a whole run.
type Summary struct {
	Passed, Failed, Skipped int
	Flaky                   int // passed on a retry; not counted in Passed
	InterruptedTests        int // running when the run stopped
	Duration                time.Duration
	Interrupted             bool // the run was stopped (Ctrl-C, --bail) before every file ran
	// FilesNotRun are the files the run never started because it stopped first: the summary
	// counts them so that the files' total is the files asked for.
	FilesNotRun int
}

// Summarize counts the results of files; a file-level error counts as one failure.
func Summarize(files []File, d time.Duration) Summary {
	s := Summary{Duration: d}
	for _, f := range files {
		if f.Error != nil {
			s.Failed++
		}
		for _, t := range f.Tests {
			switch t.Status {
			case Passed:
				if t.Flaky() {
					s.Flaky++
				} else {
					s.Passed++
				}
			case Failed:
				s.Failed++
			case Skipped:
				s.Skipped++
			case Interrupted:
				s.InterruptedTests++
			}
		}
	}
	return s
}

// Reporter receives a run's events as they happen. Calls are serialized by the runner.
type Reporter interface {
	FileStarted(file string)
	TestStarted(file string, t Test) // Status and Duration are not set yet
	TestFinished(file string, t Test)
	FileFinished(f File)
	// Finished is called once at the end, even for an interrupted run, with every file's result.
	Finished(files []File, s Summary) error
}
