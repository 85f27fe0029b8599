package report

import (
	"encoding/json"
	"io"
)

// JSON writes the whole run as one JSON document when the run finishes:
//
//	{"summary": {"passed": n, "failed": n, "flaky": n, "skipped": n, "interrupted": n,
//	  "durationMs": n},
//	 "files": [{"file": "...", "error": {...}, "output": "...", "tests": [{"name": "...",
//	   "fullName": "describe > name", "status": "passed|failed|flaky|skipped|interrupted",
//	   "durationMs": n, "output": "...", "error": {"name": "AssertionError",
//	   "message": "...", "code": "...", "diff": "...", "stack": "...",
//	   "location": {"file": "...", "line": n, "column": n}},
//	   "attempts": n, "failedAttempts": [{error}, ...], "steps": [{step}, ...]}]}]}
//
// "error" is left out when there is none. On a file it is a failure outside
// any test (syntax error, failing beforeAll or afterAll), counted in
// summary.failed like a failed test. An error without a stack but with a
// location (a syntax error) gets a one-frame stack, so the place is not lost.
// "location" is where the failure happened in the user's source (after source
// maps); "code" is a mail error's code (AUTH_FAILED...). A test that --retries
// ran again lists the errors of the attempts before the last in
// "failedAttempts"; one that then passed has status "flaky". "steps" is the
// last attempt's timeline (Step's JSON form: times in nanoseconds since the
// test started), present when the run recorded it (jsruntime.Options.RecordSteps,
// which the HTML report turns on).
type JSON struct {
	w io.Writer
}

// NewJSON returns a JSON reporter writing to w.
func NewJSON(w io.Writer) *JSON { return &JSON{w: w} }

type jsonRun struct {
	Summary jsonSummary `json:"summary"`
	Files   []jsonFile  `json:"files"`
}

type jsonSummary struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Flaky   int `json:"flaky"`
	Skipped int `json:"skipped"`
	// Interrupted counts the tests running when the run stopped.
	Interrupted int `json:"interrupted"`
	// FilesNotRun counts the files a stopped run (Ctrl-C, --bail) never started, which have
	// no entry in files; left out when every file ran.
	FilesNotRun int   `json:"filesNotRun,omitempty"`
	DurationMs  int64 `json:"durationMs"`
}

type jsonFile struct {
	File   string     `json:"file"`
	Error  *jsonError `json:"error,omitempty"`
	Output string     `json:"output,omitempty"`
	Tests  []jsonTest `json:"tests"`
}

type jsonTest struct {
	Name           string       `json:"name"`
	FullName       string       `json:"fullName"`
	Status         Status       `json:"status"`
	DurationMs     int64        `json:"durationMs"`
	Error          *jsonError   `json:"error,omitempty"`
	Output         string       `json:"output,omitempty"`
	Attempts       int          `json:"attempts,omitempty"`
	FailedAttempts []*jsonError `json:"failedAttempts,omitempty"`
	Steps          []Step       `json:"steps,omitempty"`
}

type jsonError struct {
	Name     string        `json:"name"`
	Message  string        `json:"message"`
	Code     string        `json:"code,omitempty"`
	Diff     string        `json:"diff,omitempty"`
	Stack    string        `json:"stack"`
	Location *jsonLocation `json:"location,omitempty"`
}

type jsonLocation struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// toJSONSummary is the summary of the JSON document, which the HTML report's data repeats.
func toJSONSummary(s Summary) jsonSummary {
	return jsonSummary{Passed: s.Passed, Failed: s.Failed, Flaky: s.Flaky, Skipped: s.Skipped, Interrupted: s.InterruptedTests, FilesNotRun: s.FilesNotRun, DurationMs: s.Duration.Milliseconds()}
}

func toJSONError(e *Error) *jsonError {
	if e == nil {
		return nil
	}
	stack := e.Stack
	if stack == "" && e.Location != "" {
		stack = "    at " + e.Location
	}
	out := &jsonError{Name: e.Name, Message: e.Message, Code: e.Code, Diff: e.Diff, Stack: stack}
	if file, line, col, ok := splitLocation(e.Location); ok {
		out.Location = &jsonLocation{File: file, Line: line, Column: col}
	}
	return out
}

// FileStarted does nothing: the document is written at the end.
func (r *JSON) FileStarted(string) {}

// TestStarted does nothing: the document is written at the end.
func (r *JSON) TestStarted(string, Test) {}

// TestFinished does nothing: the document is written at the end.
func (r *JSON) TestFinished(string, Test) {}

// FileFinished does nothing: the document is written at the end.
func (r *JSON) FileFinished(File) {}

// Finished writes the document.
func (r *JSON) Finished(files []File, s Summary) error {
	run := jsonRun{
		Summary: toJSONSummary(s),
		Files:   make([]jsonFile, 0, len(files)),
	}
	for _, f := range files {
		jf := jsonFile{File: f.File, Error: toJSONError(f.Error), Output: f.Output, Tests: make([]jsonTest, 0, len(f.Tests))}
		for _, t := range f.Tests {
			jt := jsonTest{
				Name:       t.Name,
				FullName:   t.FullName(),
				Status:     t.Status,
				DurationMs: t.Duration.Milliseconds(),
				Error:      toJSONError(t.Error),
				Output:     t.Output,
				Steps:      t.Steps,
			}
			if len(t.Retries) > 0 {
				jt.Attempts = t.Attempts()
				for _, e := range t.Retries {
					jt.FailedAttempts = append(jt.FailedAttempts, toJSONError(e))
				}
			}
			if t.Flaky() {
				jt.Status = "flaky"
			}
			jf.Tests = append(jf.Tests, jt)
		}
		run.Files = append(run.Files, jf)
	}
	enc := json.NewEncoder(r.w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(run)
}
