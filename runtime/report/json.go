package report

import (
	"encoding/json"
	"io"
)

// JSON writes the whole run as one JSON document when the run finishes:
//
//	{"summary": {"passed": n, "failed": n, "skipped": n, "durationMs": n},
//	 "files": [{"file": "...", "error": {...}, "tests": [{"name": "...",
//	   "fullName": "describe > name", "status": "passed|failed|skipped",
//	   "durationMs": n, "error": {"message": "...", "stack": "..."}}]}]}
//
// "error" is left out when there is none. On a file it is a failure outside
// any test (syntax error, failing beforeAll or afterAll), counted in
// summary.failed like a failed test. An error without a stack but with a
// location (a syntax error) gets a one-frame stack, so the place is not lost.
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
	Passed     int   `json:"passed"`
	Failed     int   `json:"failed"`
	Skipped    int   `json:"skipped"`
	DurationMs int64 `json:"durationMs"`
}

type jsonFile struct {
	File  string     `json:"file"`
	Error *jsonError `json:"error,omitempty"`
	Tests []jsonTest `json:"tests"`
}

type jsonTest struct {
	Name       string     `json:"name"`
	FullName   string     `json:"fullName"`
	Status     Status     `json:"status"`
	DurationMs int64      `json:"durationMs"`
	Error      *jsonError `json:"error,omitempty"`
}

type jsonError struct {
	Message string `json:"message"`
	Stack   string `json:"stack"`
}

func toJSONError(e *Error) *jsonError {
	if e == nil {
		return nil
	}
	stack := e.Stack
	if stack == "" && e.Location != "" {
		stack = "    at " + e.Location
	}
	return &jsonError{Message: e.Message, Stack: stack}
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
		Summary: jsonSummary{Passed: s.Passed, Failed: s.Failed, Skipped: s.Skipped, DurationMs: s.Duration.Milliseconds()},
		Files:   make([]jsonFile, 0, len(files)),
	}
	for _, f := range files {
		jf := jsonFile{File: f.File, Error: toJSONError(f.Error), Tests: make([]jsonTest, 0, len(f.Tests))}
		for _, t := range f.Tests {
			jf.Tests = append(jf.Tests, jsonTest{
				Name:       t.Name,
				FullName:   t.FullName(),
				Status:     t.Status,
				DurationMs: t.Duration.Milliseconds(),
				Error:      toJSONError(t.Error),
			})
		}
		run.Files = append(run.Files, jf)
	}
	enc := json.NewEncoder(r.w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(run)
}
