package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/internal/mailview"
)

var _ Reporter = (*HTML)(nil)

// pngBytes is a w×h blue PNG.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{B: 220, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func dataURL(typ string, b []byte) string {
	return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(b)
}

// htmlFixture is a run whose tests read mail: the reset message (a cid: logo, a small and a
// large attachment, its raw source) is read by two steps of one test and one of another.
func htmlFixture(t testing.TB) ([]File, Summary) {
	files, _ := fixture()
	big := bytes.Repeat([]byte("0123456789abcdef"), 8<<10) // 128 KiB, over the default limit
	reset := &mailview.Message{
		ID: "AAMk-reset", Subject: "Reset your password", Date: time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC),
		From:    mailview.Address{Name: "Example", Address: "no-reply@example.com"},
		To:      []mailview.Address{{Address: "qa@example.com"}},
		HTML:    `<h1 id="hello">Reset requested</h1><p>Click <a href="https://app.example.com/reset?t=1">here</a>.</p><img id="logo" src="cid:logo@example" alt="logo">`,
		Text:    "Reset requested. Visit https://app.example.com/reset?t=1",
		Headers: []mailview.Header{{Name: "From", Value: "Example <no-reply@example.com>"}, {Name: "Subject", Value: "Reset your password"}},
		Links:   []string{"https://app.example.com/reset?t=1"},
		Attachments: []mailview.Part{
			{Name: "logo.png", ContentType: "image/png", Size: 100, ContentID: "logo@example", Inline: true, URL: dataURL("image/png", pngBytes(t, 12, 6))},
			{Name: "terms.txt", ContentType: "text/plain", Size: 5, URL: dataURL("text/plain", []byte("terms"))},
			{Name: "export.csv", ContentType: "text/csv", Size: int64(len(big)), URL: dataURL("text/csv", big)},
		},
		Raw: []byte("From: Example <no-reply@example.com>\r\nTo: qa@example.com\r\nSubject: Reset your password\r\nX-Raw-Marker: here\r\n\r\nReset requested.\r\n"),
	}
	same := *reset // an equal message read again: stored once
	tests := files[0].Tests
	tests[1].Steps = []Step{
		{Kind: "console", Name: "log", Start: time.Millisecond, Outcome: "ok", Result: "sending the reset"},
		{Kind: "fetch", Name: "POST http://127.0.0.1:3000/reset", Args: `{"email":"qa@example.com"}`, Start: 2 * time.Millisecond, Duration: 40 * time.Millisecond, Outcome: "ok", Result: "200 OK"},
		{Kind: "mail", Name: "waitFor", Args: `{subject: "Reset"}`, Start: 50 * time.Millisecond, Duration: 900 * time.Millisecond, Outcome: "ok", Result: "1 message",
			Polls:    []Poll{{Start: 50 * time.Millisecond, Duration: 20 * time.Millisecond}, {Start: 550 * time.Millisecond, Duration: 25 * time.Millisecond, Matched: 1}},
			Messages: []*mailview.Message{reset}},
		{Kind: "mail", Name: "read", Args: `"AAMk-reset"`, Start: 960 * time.Millisecond, Duration: 30 * time.Millisecond, Outcome: "ok", Result: "1 message", Messages: []*mailview.Message{&same}},
	}
	tests[2].Steps = []Step{
		{Kind: "mail", Name: "read", Args: `"AAMk-reset"`, Duration: 12 * time.Millisecond, Outcome: "ok", Messages: []*mailview.Message{reset}},
		{Kind: "mail", Name: "list", Args: `{unread: true}`, Start: 15 * time.Millisecond, Duration: 10 * time.Millisecond, Outcome: "error", Error: "AUTH_FAILED: token expired"},
	}
	return files, Summarize(files, 1500*time.Millisecond)
}

func writeHTML(t testing.TB, opts HTMLOptions) (string, []File) {
	t.Helper()
	files, s := htmlFixture(t)
	if opts.Dir == "" {
		opts.Dir = filepath.Join(t.TempDir(), "report")
	}
	opts.Now = func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) }
	if err := replay(NewHTML(opts), files, s); err != nil {
		t.Fatal(err)
	}
	return opts.Dir, files
}

func readHTMLData(t *testing.T, dir string) htmlRunRead {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "data.js"))
	if err != nil {
		t.Fatal(err)
	}
	js := strings.TrimSuffix(strings.TrimPrefix(string(b), "window.MAILSCRIPT_REPORT = "), ";\n")
	var run htmlRunRead
	if err := json.Unmarshal([]byte(js), &run); err != nil {
		t.Fatalf("data.js is not the assignment of a JSON document: %v", err)
	}
	return run
}

// htmlRunRead is data.js as report.js sees it.
type htmlRunRead struct {
	Files []struct {
		File  string
		Tests []struct {
			ID, Name, Status string
			Steps            []struct {
				Name     string
				Start    int64
				Messages []string
			}
		}
	}
	Messages map[string]mailview.Message
}

func TestHTMLStoresEachMessageOnce(t *testing.T) {
	t.Parallel()
	dir, _ := writeHTML(t, HTMLOptions{})
	run := readHTMLData(t, dir)
	if len(run.Messages) != 1 {
		t.Fatalf("data.js holds %d messages, want the one message read three times", len(run.Messages))
	}
	var refs []string
	for _, f := range run.Files {
		for _, tt := range f.Tests {
			for _, s := range tt.Steps {
				refs = append(refs, s.Messages...)
			}
		}
	}
	if len(refs) != 3 || refs[0] != refs[1] || refs[1] != refs[2] || run.Messages[refs[0]].Subject != "Reset your password" {
		t.Fatalf("step message references = %v, messages = %v", refs, run.Messages)
	}
	if st := run.Files[0].Tests[1].Steps[2]; st.Name != "waitFor" || st.Start != int64(50*time.Millisecond) {
		t.Errorf("the waitFor step = %+v", st)
	}
}

func TestHTMLWritesLargePartsAndRawBeside(t *testing.T) {
	t.Parallel()
	dir, _ := writeHTML(t, HTMLOptions{})
	run := readHTMLData(t, dir)
	var m mailview.Message
	for _, v := range run.Messages {
		m = v
	}
	parts := map[string]string{}
	for _, p := range m.Attachments {
		parts[p.Name] = p.URL
	}
	if !strings.HasPrefix(parts["logo.png"], "data:image/png;base64,") || !strings.HasPrefix(parts["terms.txt"], "data:text/plain") {
		t.Errorf("small parts should stay embedded: %v", parts)
	}
	csv := parts["export.csv"]
	if !strings.HasPrefix(csv, "parts/") || !strings.HasSuffix(csv, ".csv") {
		t.Fatalf("the 128 KiB part's URL = %.60q, want a file under parts/", csv)
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(csv)))
	if err != nil || len(b) != 128<<10 || !bytes.HasPrefix(b, []byte("0123456789abcdef")) {
		t.Fatalf("reading %s: %d bytes, %v", csv, len(b), err)
	}
	if !strings.HasPrefix(m.RawURL, "raw/") || !strings.HasSuffix(m.RawURL, ".js") {
		t.Fatalf("rawUrl = %q", m.RawURL)
	}
	raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(m.RawURL)))
	if err != nil {
		t.Fatal(err)
	}
	if want := `MailView.provide("` + m.RawURL + `", "From: Example`; !strings.HasPrefix(string(raw), want) {
		t.Errorf("raw file starts %.80q, want %q", raw, want)
	}
	for _, name := range []string{"index.html", "report.js", "report.css", "mailview.js", "mailview.css"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "data.js"))
	if bytes.Contains(data, []byte("X-Raw-Marker")) || len(data) > 64<<10 {
		t.Errorf("data.js (%d bytes) should hold neither the raw source nor the large part", len(data))
	}
}

func TestHTMLSmallerLimitMovesMoreOut(t *testing.T) {
	t.Parallel()
	dir, _ := writeHTML(t, HTMLOptions{EmbedLimit: 2})
	var m mailview.Message
	for _, v := range readHTMLData(t, dir).Messages {
		m = v
	}
	for _, p := range m.Attachments {
		switch {
		case p.ContentID != "" && !strings.HasPrefix(p.URL, "data:"):
			t.Errorf("%s, shown in the body by cid:, left the data: URL for %q", p.Name, p.URL)
		case p.ContentID == "" && !strings.HasPrefix(p.URL, "parts/"):
			t.Errorf("%s (over a 2-byte limit) still embedded: %.40q", p.Name, p.URL)
		}
	}
}

func TestHTMLRedacts(t *testing.T) {
	t.Parallel()
	dir, _ := writeHTML(t, HTMLOptions{Redact: func(s string) string { return strings.ReplaceAll(s, "qa@example.com", "[REDACTED]") }})
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("qa@example.com")) {
				t.Errorf("%s holds the redacted value", p)
			}
		}
		return nil
	})
}

func TestTestIDs(t *testing.T) {
	t.Parallel()
	files := []File{{File: "a.test.js", Tests: []Test{{Name: "x"}, {Name: "x"}, {Name: "y"}}}, {File: "b.test.js", Tests: []Test{{Name: "x"}}}}
	ids := TestIDs(files)
	seen := map[string]bool{}
	for _, f := range ids {
		for _, id := range f {
			if seen[id] {
				t.Errorf("id %s repeated in %v", id, ids)
			}
			seen[id] = true
		}
	}
	if ids[0][1] != ids[0][0]+"-2" {
		t.Errorf("the second test of the same name = %s, want %s-2", ids[0][1], ids[0][0])
	}
	if again := TestIDs(files); again[1][0] != ids[1][0] {
		t.Error("ids change from run to run")
	}
}

func TestJUnitLinksTheHTMLReport(t *testing.T) {
	t.Parallel()
	files, s := htmlFixture(t)
	var buf bytes.Buffer
	j := NewJUnit(&buf)
	j.LinkHTML("../html/index.html")
	if err := replay(j, files, s); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name  string `xml:"name,attr"`
				Props []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"properties>property"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ids := TestIDs(files)
	for i, suite := range doc.Suites {
		for j, c := range suite.Cases {
			if c.Name == fileErrorName {
				if len(c.Props) != 0 {
					t.Errorf("the (file) case links %v", c.Props)
				}
				continue
			}
			want := "../html/index.html#" + ids[i][j]
			if len(c.Props) != 1 || c.Props[0].Name != "html-report" || c.Props[0].Value != want {
				t.Errorf("%s: properties %v, want html-report=%s", c.Name, c.Props, want)
			}
		}
	}
	// Without LinkHTML the document is as before: the golden file of TestJUnit stays.
	var plain bytes.Buffer
	if err := replay(NewJUnit(&plain), files, s); err != nil || strings.Contains(plain.String(), "<properties>") {
		t.Errorf("an unlinked JUnit report has properties (err %v)", err)
	}
}

// TestHTMLPrunesAnEarlierRunsFiles: a folder reused run after run keeps only this run's parts
// and raw sources, and nothing of the user's.
func TestHTMLPrunesAnEarlierRunsFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "report")
	stale := filepath.Join(dir, "parts", "0123456789abcdef0123.csv")
	mine := filepath.Join(dir, "parts", "notes.txt")
	for _, p := range []string{stale, mine} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeHTML(t, HTMLOptions{Dir: dir})
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("an earlier run's part is still there (%v)", err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file the report did not write was removed: %v", err)
	}
	if parts, _ := os.ReadDir(filepath.Join(dir, "parts")); len(parts) != 2 {
		t.Errorf("parts/ holds %d files, want this run's part and notes.txt", len(parts))
	}
}
