package mailview_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mailscript/mailscript/internal/browsertest"
	"github.com/mailscript/mailscript/internal/mailview"
)

// samplePNG is a w×h red PNG as a data: URL.
func samplePNG(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{R: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

// hostileMessage has everything the view must get right: a cid: image (referenced with other
// case and angle brackets), a remote image, one the view does not rewrite (an SVG <image>,
// which only the CSP stops), a script that must not run, a link, an attachment.
func hostileMessage(t *testing.T) mailview.Message {
	return mailview.Message{
		ID: "m1", Subject: "Your receipt", Date: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC),
		From: mailview.Address{Name: "Shop", Address: "shop@example.com"},
		To:   []mailview.Address{{Address: "qa@example.com"}},
		HTML: `<html><head><title>mail</title></head><body>
<p id="greeting">Hello from the body</p>
<img id="logo" src="cid:%3CLogo@Example%3E">
<img id="served" src="cid:banner@example">
<div id="bg" style="background:url('cid:logo@example');width:10px;height:10px"></div>
<img id="remote" src="http://example.invalid/x.png">
<svg width="5" height="5"><image href="http://example.invalid/svg.png" width="5" height="5"/></svg>
<script>document.title = 'pwned'; parent.postMessage('pwned', '*');</script>
<a id="link" href="https://example.invalid/go">go</a>
</body></html>`,
		Text:    "Hello from the text part",
		Headers: []mailview.Header{{Name: "Subject", Value: "Your receipt"}, {Name: "X-Trace", Value: "abc"}},
		Links:   []string{"https://example.invalid/go", "javascript:alert(1)"},
		Attachments: []mailview.Part{
			{Name: "logo.png", ContentType: "image/png", Size: 90, ContentID: "logo@example", Inline: true, URL: samplePNG(t, 7, 5)},
			{Name: "banner.png", ContentType: "image/png", Size: 90, ContentID: "banner@example", Inline: true, URL: "/parts/banner.png?m=1"},
			{Name: "receipt.txt", ContentType: "text/plain", Size: 5, URL: "data:text/plain;base64,aGVsbG8="},
		},
		RawURL: "/raw/m1",
	}
}

const testPage = `<!doctype html><html><head><title>view</title><link rel="stylesheet" href="/assets/mailview.css"></head>
<body><div id="view"></div><script src="/assets/mailview.js"></script>
<script>
window.posted = [];
addEventListener('message', (e) => window.posted.push(String(e.data)));
MailView.render(document.getElementById('view'), %s);
</script></body></html>`

func TestViewInBrowser(t *testing.T) {
	t.Parallel()
	msg, err := json.Marshal(hostileMessage(t))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/assets/", http.StripPrefix("/assets", mailview.Handler()))
	mux.HandleFunc("/raw/m1", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "Subject: Your receipt\r\nX-Raw-Marker: yes\r\n\r\nbody\r\n")
	})
	mux.HandleFunc("/parts/banner.png", func(w http.ResponseWriter, r *http.Request) {
		png, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(samplePNG(t, 9, 4), "data:image/png;base64,"))
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, testPage, msg) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	b := browsertest.New(t)
	b.Do("open the page", chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS(".mv-frame")))
	if sb := browsertest.Get(b, "the iframe's sandbox", chromedp.AttributeValue(chromedp.CSS(".mv-frame"), "sandbox")); sb.Value != "allow-popups allow-popups-to-escape-sandbox" {
		t.Errorf("sandbox = %q", sb.Value)
	}
	doc := browsertest.Frame(b, ".mv-frame")
	if got := browsertest.Get(b, "body text", chromedp.Text(chromedp.CSS("#greeting"), chromedp.FromNode(doc))); got != "Hello from the body" {
		t.Errorf("body text = %q", got)
	}
	if w := browsertest.NaturalWidth(b, "#logo", doc); w != 7 {
		t.Errorf("cid image naturalWidth = %d, want 7", w)
	}
	if w := browsertest.NaturalWidth(b, "#served", doc); w != 9 {
		t.Errorf("a cid: image served by the viewer: naturalWidth = %d, want 9 (the CSP must allow its part's URL)", w)
	}
	if st := browsertest.Get(b, "the cid: background", chromedp.AttributeValue(chromedp.CSS("#bg"), "style", chromedp.FromNode(doc))); !strings.Contains(st.Value, "data:image/png") {
		t.Errorf("background style = %q, want the part's data: URL", st.Value)
	}
	if title := browsertest.Get(b, "the body's title", chromedp.TextContent(chromedp.CSS("title"), chromedp.FromNode(doc))); title != "mail" {
		t.Errorf("the body's title is %q: its script ran", title)
	}
	if base := browsertest.Get(b, "the body's base", chromedp.AttributeValue(chromedp.CSS("base"), "target", chromedp.FromNode(doc))); base.Value != "_blank" {
		t.Errorf("base target = %q", base.Value)
	}
	if posted := browsertest.Get(b, "messages posted", chromedp.Evaluate[[]string](`window.posted`)); len(posted) != 0 {
		t.Errorf("the body's script posted %v", posted)
	}
	if csp := browsertest.Get(b, "the body's CSP", chromedp.AttributeValue(chromedp.CSS(`meta[http-equiv="Content-Security-Policy"]`), "content", chromedp.FromNode(doc))); !strings.HasPrefix(csp.Value, "default-src 'none'; img-src data: blob: "+srv.URL+"/parts/banner.png;") {
		t.Errorf("CSP = %q", csp.Value)
	}
	b.Screenshot("view-html-blocked")
	b.RequireLoopbackOnly()
	if why := b.Blocked()["http://example.invalid/svg.png"]; why != "csp" {
		t.Errorf("the SVG image's request: blocked for %q, want csp (blocked: %v)", why, b.Blocked())
	}

	b.Do("load remote images", chromedp.Click(chromedp.CSS(".mv-remote-load")), chromedp.WaitNotPresent(chromedp.CSS(".mv-remote-load")))
	if !requested(b, "http://example.invalid/x.png", 10*time.Second) {
		t.Errorf("after Load remote images, the remote image was not requested: %v", b.Requests())
	}

	b.Do("open attachments", chromedp.Click(chromedp.CSS(`.mv-tab[data-tab="attachments"]`)))
	dl := browsertest.Get(b, "the download link", chromedp.Attributes(chromedp.CSS(`.mv-download[download="receipt.txt"]`)))
	if !strings.HasPrefix(dl["href"], "data:text/plain") {
		t.Errorf("download link = %v", dl)
	}
	if w := browsertest.NaturalWidth(b, ".mv-thumb[alt='logo.png']", nil); w != 7 {
		t.Errorf("thumbnail naturalWidth = %d", w)
	}
	b.Screenshot("view-attachments")

	b.Do("open links", chromedp.Click(chromedp.CSS(`.mv-tab[data-tab="links"]`)))
	links := browsertest.Get(b, "the links", chromedp.Evaluate[[]string](`[...document.querySelectorAll('.mv-links li')].map(li => (li.firstChild.tagName) + ' ' + li.textContent)`))
	if want := []string{"A https://example.invalid/go", "SPAN javascript:alert(1)"}; fmt.Sprint(links) != fmt.Sprint(want) {
		t.Errorf("links = %q, want %q (a javascript: URL must not be clickable)", links, want)
	}

	b.Do("open headers", chromedp.Click(chromedp.CSS(`.mv-tab[data-tab="headers"]`)))
	if h := browsertest.Get(b, "the headers", chromedp.Text(chromedp.CSS(".mv-headers"))); !strings.Contains(h, "X-Trace") {
		t.Errorf("headers = %q", h)
	}

	b.Do("show the raw source", chromedp.Click(chromedp.CSS(`.mv-tab[data-tab="raw"]`)), chromedp.Click(chromedp.CSS(".mv-raw-load")),
		chromedp.Poll[chromedp.Void](`document.querySelector('.mv-raw').textContent.includes('X-Raw-Marker')`, chromedp.WithPollingTimeout(10*time.Second)))
	b.Screenshot("view-raw")
	if ex := b.Exceptions(); len(ex) != 0 {
		t.Errorf("page exceptions: %v", ex)
	}
}

// requested waits until the browser has requested url.
func requested(b *browsertest.Browser, url string, within time.Duration) bool {
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		for _, u := range b.Requests() {
			if u == url {
				return true
			}
		}
	}
	return false
}
