package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mailscript/mailscript/internal/browsertest"
)

// TestHTMLReportShowsTheMail runs a script against the emulator with --html, then opens the
// report from disk: the failed test's page shows its send and waitFor steps and, under
// waitFor, the message it waited for, rendered with its inline image, and its raw source.
func TestHTMLReportShowsTheMail(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 6, 3))
	for x := range 6 {
		for y := range 3 {
			img.Set(x, y, color.RGBA{G: 160, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	byteList := make([]int, buf.Len()) // a JSON array of numbers, which the script makes a Uint8Array
	for i, c := range buf.Bytes() {
		byteList[i] = int(c)
	}
	pngJSON, _ := json.Marshal(byteList)
	dir := writeFiles(t, map[string]string{"welcome.test.js": `
const box = mail.connect('google');
test('the welcome mail arrives', async () => {
  const started = new Date();
  const me = box.uniqueAddress('welcome');
  await box.send({ to: me, subject: 'Welcome aboard', text: 'Welcome to Example',
    html: '<p id="greet">Welcome to Example</p><img id="logo" src="cid:logo@example">',
    attachments: [{ name: 'logo.png', content: new Uint8Array(JSON.parse(env.PNG_BYTES)), contentType: 'image/png', inline: true, contentId: 'logo@example' }] });
  const msg = await box.waitFor({ to: me, subject: 'Welcome', since: started }, { timeout: '10s', interval: '100ms' });
  expect(msg.subject).toBe('Welcome on board');
});
`})
	out := filepath.Join(t.TempDir(), "report")
	code, stdout, stderr := runCLI(t, map[string]string{"PNG_BYTES": string(pngJSON)}, "run", dir, "--emulator", "--html", out)
	if code != exitFailed || !strings.Contains(stdout, "Welcome on board") {
		t.Fatalf("exit %d, want the planned failure\n%s\n%s", code, stdout, stderr)
	}

	b := browsertest.New(t)
	b.Do("open the report", chromedp.Navigate("file://"+filepath.ToSlash(filepath.Join(out, "index.html"))),
		chromedp.Click(chromedp.CSS("a.test-row.failed")), chromedp.WaitVisible(chromedp.CSS("#detail .errbox")))
	steps := browsertest.Get(b, "the steps", chromedp.Evaluate[[]string](`[...document.querySelectorAll('.step')].map((e) => e.dataset.name)`))
	if strings.Join(steps, ",") != "uniqueAddress,send,waitFor" {
		t.Errorf("steps = %q, want uniqueAddress, send and waitFor", steps)
	}
	frame := `.step[data-name="waitFor"] .mv-frame`
	b.Do("wait for the message", chromedp.WaitVisible(chromedp.CSS(frame)))
	doc := browsertest.Frame(b, frame)
	if got := browsertest.Get(b, "the body's text", chromedp.Text(chromedp.CSS("#greet"), chromedp.FromNode(doc))); got != "Welcome to Example" {
		t.Errorf("the waited-for message's body shows %q", got)
	}
	if w := browsertest.NaturalWidth(b, "#logo", doc); w != 6 {
		t.Errorf("its cid: image's naturalWidth = %d, want 6", w)
	}
	b.Screenshot("report-e2e")
	waited := `.step[data-name="waitFor"] `
	b.Do("show its raw source", chromedp.Click(chromedp.CSS(waited+`.mv-tab[data-tab="raw"]`)), chromedp.Click(chromedp.CSS(waited+".mv-raw-load")),
		chromedp.Poll[chromedp.Void](`document.querySelector('`+waited+`.mv-raw').textContent.includes('Subject: Welcome aboard')`))
	b.RequireLoopbackOnly()
	if ex := b.Exceptions(); len(ex) != 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}
