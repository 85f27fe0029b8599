package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mailscript/mailscript/internal/browsertest"
)

// UpdateScreenshotsEnv, set to 1, makes the browser test copy its screenshots into docs/img,
// where README.md shows them.
const UpdateScreenshotsEnv = "MAILSCRIPT_UPDATE_SCREENSHOTS"

// visibleRows is the text of the list's test rows a person sees.
const visibleRows = `[...document.querySelectorAll('#list .test-row')].filter((r) => r.offsetParent !== null).map((r) => r.className.split(' ').pop() + ' ' + r.querySelector('.name').textContent)`

// TestHTMLReportInBrowser opens a generated report from disk, as a user would after a run.
func TestHTMLReportInBrowser(t *testing.T) {
	t.Parallel()
	dir, files := writeHTML(t, HTMLOptions{})
	ids := TestIDs(files)
	index := "file://" + filepath.ToSlash(filepath.Join(dir, "index.html"))
	// "link works" failed with a diff; it read the reset message.
	b := browsertest.New(t)
	b.Do("open a failed test's page", chromedp.Navigate(index+"#"+ids[0][2]), chromedp.WaitVisible(chromedp.CSS("#detail .diff")))
	if diff := browsertest.Get(b, "the diff", chromedp.Text(chromedp.CSS("#detail .diff"))); !strings.Contains(diff, "- Expected") || !strings.Contains(diff, "+ 1") {
		t.Errorf("diff = %q", diff)
	}
	if src := browsertest.Get(b, "the code frame", chromedp.Text(chromedp.CSS("#detail .source"))); !strings.Contains(src, "> 12 |   expect(links.length).toBe(2);") {
		t.Errorf("code frame = %q", src)
	}
	if steps := browsertest.Get(b, "the steps", chromedp.Evaluate[[]string](`[...document.querySelectorAll('.step .step-name')].map((e) => e.textContent)`)); strings.Join(steps, ",") != "read,list" {
		t.Errorf("steps = %q", steps)
	}
	b.Do("wait for the message", chromedp.WaitVisible(chromedp.CSS(".msg .mv-frame")))
	doc := browsertest.Frame(b, ".msg .mv-frame")
	if h := browsertest.Get(b, "the body's text", chromedp.Text(chromedp.CSS("#hello"), chromedp.FromNode(doc))); h != "Reset requested" {
		t.Errorf("the body shows %q", h)
	}
	if w := browsertest.NaturalWidth(b, "#logo", doc); w != 12 {
		t.Errorf("the cid: logo's naturalWidth = %d, want 12", w)
	}
	updateScreenshot(t, b.Screenshot("report-test"))

	b.Do("open the attachments", chromedp.Click(chromedp.CSS(`.mv-tab[data-tab="attachments"]`)))
	if href := browsertest.Get(b, "the large part's link", chromedp.AttributeValue(chromedp.CSS(`.mv-download[download="export.csv"]`), "href")); !strings.HasPrefix(href.Value, "parts/") {
		t.Errorf("the large part links %q", href.Value)
	}
	b.Do("show the raw source", chromedp.Click(chromedp.CSS(`.mv-tab[data-tab="raw"]`)), chromedp.Click(chromedp.CSS(".mv-raw-load")),
		chromedp.Poll[chromedp.Void](`document.querySelector('.mv-raw').textContent.includes('X-Raw-Marker: here')`))
	b.Do("back to the list", chromedp.Click(chromedp.CSS(".back")), chromedp.WaitVisible(chromedp.CSS(".test-row")))

	all := browsertest.Get(b, "the rows", chromedp.Evaluate[[]string](visibleRows))
	if len(all) != 11 { // 10 tests and the file that failed to load
		t.Fatalf("the list shows %d rows, want 11: %q", len(all), all)
	}
	b.Do("show only failures", chromedp.Click(chromedp.CSS(`.filter[data-filter="failed"]`)))
	failed := browsertest.Get(b, "the failed rows", chromedp.Evaluate[[]string](visibleRows))
	if len(failed) != 5 {
		t.Errorf("with the failed filter, the list shows %q, want the 5 failures", failed)
	}
	for _, r := range failed {
		if !strings.HasPrefix(r, "failed ") {
			t.Errorf("the failed filter shows %q", r)
		}
	}
	updateScreenshot(t, b.Screenshot("report-failed"))
	b.Do("show only flaky tests", chromedp.Click(chromedp.CSS(`.filter[data-filter="flaky"]`)))
	if flaky := browsertest.Get(b, "the flaky rows", chromedp.Evaluate[[]string](visibleRows)); len(flaky) != 1 || flaky[0] != "flaky reset flow › mail is late" {
		t.Errorf("with the flaky filter, the list shows %q", flaky)
	}
	b.Do("back to all, and search", chromedp.Click(chromedp.CSS(`.filter[data-filter="all"]`)),
		chromedp.SendKeys(chromedp.CSS("#search"), "SIGNS"))
	if found := browsertest.Get(b, "the search result", chromedp.Evaluate[[]string](visibleRows)); len(found) != 1 || found[0] != "failed signs out" {
		t.Errorf("searching SIGNS shows %q, want the one test", found)
	}

	b.RequireLoopbackOnly()
	if ex := b.Exceptions(); len(ex) != 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// updateScreenshot copies a screenshot into docs/img when UpdateScreenshotsEnv is 1.
func updateScreenshot(t *testing.T, path string) {
	if os.Getenv(UpdateScreenshotsEnv) != "1" {
		return
	}
	png, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join("..", "..", "docs", "img", filepath.Base(path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHTMLReportLargeCIDImage: a cid: image over the embedding limit is a file in parts/ (the
// attachment's link) and a script beside it that hands it to the body, which a sandboxed body
// opened from disk could not load as a file.
func TestHTMLReportLargeCIDImage(t *testing.T) {
	t.Parallel()
	dir, files := writeHTML(t, HTMLOptions{EmbedLimit: 1, CIDEmbedLimit: 1})
	scripts, _ := filepath.Glob(filepath.Join(dir, "parts", "*.png.js"))
	if len(scripts) != 1 {
		t.Fatalf("parts/ holds the scripts %q, want the logo's", scripts)
	}
	index := "file://" + filepath.ToSlash(filepath.Join(dir, "index.html"))
	b := browsertest.New(t)
	b.Do("open the test that read the reset message", chromedp.Navigate(index+"#"+TestIDs(files)[0][2]), chromedp.WaitVisible(chromedp.CSS(".msg .mv-frame")))
	doc := browsertest.Frame(b, ".msg .mv-frame")
	if w := browsertest.NaturalWidth(b, "#logo", doc); w != 12 {
		t.Errorf("the cid: logo kept in parts/ has naturalWidth %d, want 12", w)
	}
	b.Do("open the attachments", chromedp.Click(chromedp.CSS(`.mv-tab[data-tab="attachments"]`)))
	if href := browsertest.Get(b, "the logo's link", chromedp.AttributeValue(chromedp.CSS(`.mv-download[download="logo.png"]`), "href")); !strings.HasPrefix(href.Value, "parts/") || !strings.HasSuffix(href.Value, ".png") {
		t.Errorf("the logo's attachment links %q, want the image in parts/", href.Value)
	}

	// A report copied without its parts/ folder: the body is still drawn, in every view that
	// waited for the same missing script, not left at "Loading inline images…".
	if err := os.Remove(scripts[0]); err != nil {
		t.Fatal(err)
	}
	b.Do("reload without the logo's script, and show its message twice more", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".msg .mv-frame")),
		chromedp.Evaluate[chromedp.Void](`{
			const m = Object.values(MAILSCRIPT_REPORT.messages).find((m) => (m.attachments || []).some((p) => p.script));
			for (const id of ['again1', 'again2']) {
				const c = document.createElement('div');
				c.id = id;
				document.body.append(c);
				MailView.render(c, m, {});
			}
		}`),
		chromedp.Poll[chromedp.Void](`['#again1', '#again2'].every((s) => document.querySelector(s + ' .mv-frame'))`))
	if doc := browsertest.Frame(b, "#again2 .mv-frame"); browsertest.NaturalWidth(b, "#logo", doc) != 0 {
		t.Error("the logo shows though its script is gone")
	}
}
