package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
	"github.com/mailscript/mailscript/internal/browsertest"
)

// UpdateScreenshotsEnv, set to 1, makes TestViewerInBrowser write the README's screenshot.
const UpdateScreenshotsEnv = "MAILSCRIPT_UPDATE_SCREENSHOTS"

// orderMail is what an application sends: HTML with an inline (cid:) logo of w×h pixels.
func orderMail(t *testing.T, to, subject string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{R: 34, G: 48, B: 73, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return "From: Contoso Shop <orders@shop.example>\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/related; boundary=rel\r\n\r\n" +
		"--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		`<div style="font-family:sans-serif;max-width:520px"><img id="logo" src="cid:logo@shop.example" alt="Contoso Shop">` +
		`<img src="https://tracking.shop.example/open.gif" width="1" height="1" alt="">` +
		`<h2 id="greeting">Your order 1042 is on its way</h2><p>Two items ship today from our Lyon warehouse.</p>` +
		`<p><a href="https://shop.example/track/1042" style="background:#223049;color:#fff;padding:8px 14px;border-radius:4px;text-decoration:none">Track your parcel</a></p></div>` + "\r\n" +
		"--rel\r\nContent-Type: image/png\r\nContent-ID: <logo@shop.example>\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(buf.Bytes()) + "\r\n--rel--\r\n"
}

// TestViewerInBrowser opens the viewer in Chromium as a person would: mail sent by SMTP shows
// up in the open list without a reload, opens rendered with its inline image, is marked read
// and unread, searched for, deleted; the sink lists its mail; faults are edited and the API
// sees the change; and no request leaves loopback.
func TestViewerInBrowser(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	b := browsertest.New(t)
	google, _ := s.Store().Mailbox("qa@example.com")
	mbButton := `#mb-google button.mailbox[data-mailbox="` + google.ID + `"]`

	b.Do("open the viewer", chromedp.Navigate(s.URL()+"/"), chromedp.WaitVisible(chromedp.CSS("#mb-microsoft button.mailbox")),
		chromedp.WaitVisible(chromedp.CSS("#live.on")))
	// No message is open yet: nothing to mark or delete is offered.
	if shown := browsertest.Get(b, "the toolbar's display", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#toolbar')).display`)); shown != "none" {
		t.Errorf("the toolbar shows (display %q) with no message open", shown)
	}
	b.Do("choose the Gmail mailbox", chromedp.Click(chromedp.CSS(mbButton)),
		chromedp.WaitVisible(chromedp.CSS(`#sidebar button.folder.selected[data-folder="inbox"]`)),
		chromedp.WaitVisible(chromedp.CSS("#messages tr.msg")),
		chromedp.Evaluate[chromedp.Void](`window.sameDocument = true`))

	if err := smtptest.Send(s.SMTPAddr(), nil, nil, "orders@shop.example", []string{"qa@example.com", "customer@elsewhere.example"},
		orderMail(t, "qa@example.com, customer@elsewhere.example", "Your order 1042 is on its way", 96, 32)); err != nil {
		t.Fatal(err)
	}
	ms, _ := s.Store().List("qa@example.com", storeQuery("inbox"))
	id := ms[0].ID
	row := `#messages tr.msg[data-id="` + id + `"]`
	b.Do("see the SMTP mail arrive", chromedp.WaitVisible(chromedp.CSS(row+".unread")))
	if !browsertest.Get(b, "the page was not reloaded", chromedp.Evaluate[bool](`window.sameDocument === true`)) {
		t.Fatal("the list updated by reloading the page")
	}
	if got := browsertest.Get(b, "the new row", chromedp.Text(chromedp.CSS(row))); !strings.Contains(got, "Contoso Shop <orders@shop.example>") || !strings.Contains(got, "Your order 1042") {
		t.Errorf("row text = %q", got)
	}

	b.Do("open the message", chromedp.Click(chromedp.CSS(row)), chromedp.WaitVisible(chromedp.CSS("#view .mv-frame")),
		chromedp.WaitVisible(chromedp.CSS("#view .mv-remote-load"))) // the tracking pixel waits for a click
	doc := browsertest.Frame(b, "#view .mv-frame")
	if got := browsertest.Get(b, "the rendered body", chromedp.Text(chromedp.CSS("#greeting"), chromedp.FromNode(doc))); got != "Your order 1042 is on its way" {
		t.Errorf("body text = %q", got)
	}
	if w := browsertest.NaturalWidth(b, "#logo", doc); w != 96 {
		t.Errorf("inline image naturalWidth = %d, want 96", w)
	}
	b.Do("the message is read once opened", chromedp.WaitVisible(chromedp.CSS(row+":not(.unread)")))
	waitStore(t, "read", func() bool { m, err := s.Store().Get(google.ID, id); return err == nil && m.IsRead })
	shot := b.Screenshot("viewer")
	if os.Getenv(UpdateScreenshotsEnv) == "1" {
		copyFile(t, shot, filepath.Join("..", "docs", "img", "viewer.png"))
	}

	b.Do("mark it unread", chromedp.Click(chromedp.CSS("#mark")), chromedp.WaitVisible(chromedp.CSS(row+".unread")))
	waitStore(t, "unread", func() bool { m, err := s.Store().Get(google.ID, id); return err == nil && !m.IsRead })
	if label := browsertest.Get(b, "the mark button", chromedp.Text(chromedp.CSS("#mark"))); label != "Mark read" {
		t.Errorf("after marking unread the button says %q", label)
	}
	b.Do("mark it read", chromedp.Click(chromedp.CSS("#mark")), chromedp.WaitVisible(chromedp.CSS(row+":not(.unread)")))
	waitStore(t, "read again", func() bool { m, err := s.Store().Get(google.ID, id); return err == nil && m.IsRead })

	b.Do("search", chromedp.SendKeys(chromedp.CSS("#search"), "lyon warehouse"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#messages tr.msg').length === 1`, chromedp.WithPollingTimeout(10*time.Second)))
	b.Do("clear the search", chromedp.Evaluate[chromedp.Void](`const q = document.querySelector('#search'); q.value = ''; q.dispatchEvent(new Event('input'))`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#messages tr.msg').length === `+strconv.Itoa(len(ms)), chromedp.WithPollingTimeout(10*time.Second)))

	b.Do("delete it", chromedp.Click(chromedp.CSS(row)), chromedp.WaitVisible(chromedp.CSS("#toolbar #delete")),
		chromedp.Click(chromedp.CSS("#delete")), chromedp.WaitNotPresent(chromedp.CSS(row)))
	if _, err := s.Store().Get(google.ID, id); err == nil {
		t.Error("the deleted message is still in the store")
	}

	b.Do("open the sink", chromedp.Click(chromedp.CSS("#sink")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#messages').textContent.includes('Your order 1042')`, chromedp.WithPollingTimeout(10*time.Second)))
	if n := browsertest.Get(b, "the sink count", chromedp.Text(chromedp.CSS("#sink-count"))); n != "1" {
		t.Errorf("sink count = %q", n)
	}

	b.Do("open the faults", chromedp.Click(chromedp.CSS("#faults-toggle")), chromedp.WaitVisible(chromedp.CSS("#faults-form")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#faults-form').latency.value === '0s'`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.SetValue(chromedp.CSS(`#faults-form input[name="latency"]`), "7ms"),
		chromedp.SetValue(chromedp.CSS(`#faults-form input[name="fail429"]`), "0.25"),
		chromedp.Click(chromedp.CSS("#faults-save")),
		chromedp.Poll[chromedp.Void](`document.querySelector('#faults-status').textContent === 'Saved.'`, chromedp.WithPollingTimeout(10*time.Second)))
	var f faultsDoc
	if err := json.Unmarshal([]byte(readAll(t, do(t, "GET", s.URL()+"/_emulator/faults", ""))), &f); err != nil {
		t.Fatal(err)
	}
	if f.Latency != "7ms" || f.Fail["429"] != 0.25 {
		t.Errorf("faults after saving the form: %+v", f)
	}
	b.Do("save a bad value", chromedp.SetValue(chromedp.CSS(`#faults-form input[name="latency"]`), "soon"),
		chromedp.Click(chromedp.CSS("#faults-save")), chromedp.WaitVisible(chromedp.CSS("#faults-status.error")))
	if msg := browsertest.Get(b, "the error", chromedp.Text(chromedp.CSS("#faults-status"))); msg != "latency soon: want a duration like 50ms" {
		t.Errorf("error shown = %q", msg)
	}
	if got := s.CurrentFaults(); got.Latency != 7*time.Millisecond {
		t.Errorf("a refused PUT changed the latency to %v", got.Latency)
	}
	b.Screenshot("viewer-faults")
	b.RequireLoopbackOnly()
	if ex := b.Exceptions(); len(ex) != 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

func waitStore(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the store never saw the message %s", what)
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
