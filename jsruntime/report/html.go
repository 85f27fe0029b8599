package report

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mailscript/mailscript/internal/mailview"
)

// The report's page, script and style sheet; mailview's files go beside them.
//
//go:embed html/index.html html/report.js html/report.css
var htmlAssets embed.FS

// HTMLOptions configures the HTML report.
type HTMLOptions struct {
	// Dir receives index.html, its scripts and style sheets, data.js (the run), and parts/ and
	// raw/ (attachments over EmbedLimit, raw sources). It is created if missing.
	Dir string
	// EmbedLimit is the largest part kept inside data.js as a data: URL; 0 means 64 KiB.
	EmbedLimit int64
	// CIDEmbedLimit is the same for parts the HTML body shows by Content-ID; 0 means 1 MiB.
	// A larger part goes to parts/ like the others, with a script beside it (parts/NAME.js)
	// that hands the body a data: URL through MailView.provide: the sandboxed body cannot load
	// a file from disk, and a page from file:// cannot fetch one.
	CIDEmbedLimit int64
	// Redact masks secrets in everything written; nil writes as is.
	Redact func(string) string
	// Now stamps the report; nil means time.Now.
	Now func() time.Time
}

// HTML writes a static report that a browser opens from disk, with no server: the files and
// tests with their status, failures with code frame and diff, console output, each test's
// timeline of steps, and the messages each step read or sent, shown by the mailview. The
// run is in data.js (a page from file:// cannot fetch JSON); bodies are stored once.
type HTML struct {
	opts HTMLOptions
	// Written is what the last Finished wrote: index.html's path and the bytes of every file.
	Written struct {
		Index string
		Bytes int64
	}
}

const defaultEmbedLimit = 64 << 10
const cidEmbedLimit = 1 << 20

// NewHTML returns an HTML reporter.
func NewHTML(opts HTMLOptions) *HTML {
	if opts.EmbedLimit <= 0 {
		opts.EmbedLimit = defaultEmbedLimit
	}
	if opts.CIDEmbedLimit <= 0 {
		opts.CIDEmbedLimit = cidEmbedLimit
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &HTML{opts: opts}
}

// FileStarted does nothing: the report is written at the end.
func (r *HTML) FileStarted(string) {}

// TestStarted does nothing: the report is written at the end.
func (r *HTML) TestStarted(string, Test) {}

// TestFinished does nothing: the report is written at the end.
func (r *HTML) TestFinished(string, Test) {}

// FileFinished does nothing: the report is written at the end.
func (r *HTML) FileFinished(File) {}

// htmlRun is data.js's document; report.js reads it as window.MAILSCRIPT_REPORT.
type htmlRun struct {
	Generated string                       `json:"generated"`
	Summary   jsonSummary                  `json:"summary"`
	Stopped   bool                         `json:"stopped"` // the run was interrupted
	Files     []htmlFile                   `json:"files"`
	Messages  map[string]*mailview.Message `json:"messages"`
}

type htmlFile struct {
	File       string     `json:"file"`
	DurationMs float64    `json:"durationMs"`
	Error      *htmlError `json:"error,omitempty"`
	Output     string     `json:"output,omitempty"`
	Tests      []htmlTest `json:"tests"`
}

type htmlTest struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Path       []string     `json:"path,omitempty"`
	Status     Status       `json:"status"` // "flaky" for a test that passed on a retry
	DurationMs float64      `json:"durationMs"`
	Attempts   int          `json:"attempts"`
	Error      *htmlError   `json:"error,omitempty"`
	Retries    []*htmlError `json:"retries,omitempty"`
	Output     string       `json:"output,omitempty"`
	Steps      []htmlStep   `json:"steps,omitempty"`
}

type htmlError struct {
	Headline string `json:"headline"`
	Location string `json:"location,omitempty"`
	Source   string `json:"source,omitempty"`
	Diff     string `json:"diff,omitempty"`
	Stack    string `json:"stack,omitempty"`
}

// htmlStep is a Step as recorded (durations in nanoseconds), its messages replaced by their
// ids in htmlRun.Messages.
type htmlStep struct {
	Step
	Messages []string `json:"messages,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func toHTMLError(e *Error) *htmlError {
	if e == nil {
		return nil
	}
	return &htmlError{Headline: errorHeadline(e), Location: e.Location, Source: e.Source, Diff: e.Diff, Stack: stackFrames(e)}
}

// Finished writes the report.
func (r *HTML) Finished(files []File, s Summary) error {
	if err := os.MkdirAll(r.opts.Dir, 0o755); err != nil {
		return err
	}
	store := newHTMLStore(r.opts.Dir, r.opts.EmbedLimit, r.opts.CIDEmbedLimit, r.opts.Redact)
	run := htmlRun{
		Generated: r.opts.Now().UTC().Format(time.RFC3339),
		Summary:   toJSONSummary(s),
		Stopped:   s.Interrupted,
		Files:     make([]htmlFile, 0, len(files)),
	}
	ids := TestIDs(files)
	for i, f := range files {
		hf := htmlFile{File: f.File, DurationMs: ms(f.Duration), Error: toHTMLError(f.Error), Output: f.Output, Tests: make([]htmlTest, 0, len(f.Tests))}
		for j, t := range f.Tests {
			ht, err := r.test(store, t)
			if err != nil {
				return err
			}
			ht.ID = ids[i][j]
			hf.Tests = append(hf.Tests, ht)
		}
		run.Files = append(run.Files, hf)
	}
	run.Messages = store.messages
	data, err := json.Marshal(run)
	if err != nil {
		return err
	}
	text := string(data)
	if r.opts.Redact != nil {
		text = r.opts.Redact(text)
	}
	if err := store.write("data.js", []byte("window.MAILSCRIPT_REPORT = "+text+";\n")); err != nil {
		return err
	}
	for _, name := range []string{"index.html", "report.js", "report.css"} {
		b, err := htmlAssets.ReadFile("html/" + name)
		if err != nil {
			return err
		}
		if err := store.write(name, b); err != nil {
			return err
		}
	}
	if err := mailview.WriteAssets(r.opts.Dir); err != nil {
		return err
	}
	if err := store.prune(); err != nil {
		return err
	}
	for _, name := range mailview.AssetNames {
		if fi, err := os.Stat(filepath.Join(r.opts.Dir, name)); err == nil {
			store.bytes += fi.Size()
		}
	}
	r.Written.Index = filepath.Join(r.opts.Dir, "index.html")
	r.Written.Bytes = store.bytes
	return nil
}

func (r *HTML) test(store *htmlStore, t Test) (htmlTest, error) {
	ht := htmlTest{Name: t.Name, Path: t.Path, Status: t.Status, DurationMs: ms(t.Duration), Attempts: t.Attempts(),
		Error: toHTMLError(t.Error), Output: t.Output}
	if t.Flaky() {
		ht.Status = "flaky"
	}
	for _, e := range t.Retries {
		ht.Retries = append(ht.Retries, toHTMLError(e))
	}
	for _, st := range t.Steps {
		hs := htmlStep{Step: st}
		for _, m := range st.Messages {
			if m == nil {
				continue
			}
			id, err := store.add(m)
			if err != nil {
				return ht, fmt.Errorf("storing a message of %q: %w", t.FullName(), err)
			}
			hs.Messages = append(hs.Messages, id)
		}
		ht.Steps = append(ht.Steps, hs)
	}
	return ht, nil
}
