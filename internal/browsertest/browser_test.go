package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser opens a loopback page that also tries a remote image: the text renders, the
// remote request is recorded (and refused), and RequireLoopbackOnly's rule sees it.
func TestBrowser(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>t</title><p id="p">hello from loopback</p><img src="http://example.invalid/x.png">`)
	}))
	defer srv.Close()
	b := New(t)
	b.Do("open page", chromedp.Navigate(srv.URL))
	text := Get(b, "read the paragraph", chromedp.Text(chromedp.CSS("#p")))
	if text != "hello from loopback" {
		t.Fatalf("text = %q", text)
	}
	var remote []string
	for _, u := range b.Requests() {
		if !isLocal(u) {
			remote = append(remote, u)
		}
	}
	if len(remote) != 1 || !strings.Contains(remote[0], "example.invalid") {
		t.Fatalf("non-loopback requests = %v, want the one remote image", remote)
	}
	if p := b.Screenshot("page"); !strings.HasSuffix(p, "page.png") {
		t.Fatalf("screenshot path %q", p)
	}
}

func TestIsLocal(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080/x": true, "http://localhost/": true, "https://[::1]:1/": true,
		"file:///tmp/r/index.html": true, "data:image/png;base64,AA": true, "about:blank": true,
		"https://example.com/": false, "http://10.0.0.1/": false, "ftp://127.0.0.1/": false,
	} {
		if got := isLocal(u); got != want {
			t.Errorf("isLocal(%q) = %v, want %v", u, got, want)
		}
	}
}

// TestBlocked: a remote image a CSP refuses is reported as blocked, not as a request that left.
func TestBlocked(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><meta http-equiv="Content-Security-Policy" content="img-src 'none'"><p id="p">x</p><img src="http://example.invalid/y.png">`)
	}))
	defer srv.Close()
	b := New(t)
	b.Do("open page", chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("#p")))
	for end := time.Now().Add(10 * time.Second); len(b.Blocked()) == 0 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	if why := b.Blocked()["http://example.invalid/y.png"]; why != "csp" {
		t.Fatalf("blocked = %v, want the image blocked by csp", b.Blocked())
	}
	b.RequireLoopbackOnly()
}
