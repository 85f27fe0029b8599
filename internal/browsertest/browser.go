package browsertest

import (
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// RequireEnv, when set to any non-empty value (.ci/run sets it), turns a missing Chromium
// from a skipped test into a failed one, so CI cannot pass without running the browser tests.
const RequireEnv = "MAILSCRIPT_REQUIRE_BROWSER"

// PathEnv names the Chromium binary when it is not on PATH as chromium, chromium-browser,
// google-chrome or headless-shell.
const PathEnv = "MAILSCRIPT_CHROMIUM"

// Browser is one tab of a headless Chromium started for a test.
type Browser struct {
	// Ctx runs chromedp actions in the tab: chromedp.Run(b.Ctx, chromedp.Navigate(u), ...).
	Ctx context.Context
	t   testing.TB

	mu       sync.Mutex
	requests []string
	console  []string
}

// New starts Chromium for t in a fresh profile and returns its first tab, closed by
// t.Cleanup. Host names other than localhost resolve to nothing, so a page under test cannot
// reach the internet even by mistake; Requests still lists what it tried.
func New(t testing.TB) *Browser {
	t.Helper()
	path := findChromium()
	if path == "" {
		msg := "no Chromium found (install Debian's chromium package, or set " + PathEnv + ")"
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("%s, and %s is set", msg, RequireEnv)
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &Browser{t: t}
	// The listener runs in the tab's message loop: it must return fast and run no command.
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.mu.Lock()
			b.requests = append(b.requests, ev.Request.URL)
			b.mu.Unlock()
		case *runtime.EventExceptionThrown:
			text := ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil && ex.Description != "" {
				text += " " + ex.Description
			}
			b.mu.Lock()
			b.console = append(b.console, text)
			b.mu.Unlock()
		}
	}))
	b.Ctx = ctx
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// Start the browser now, so a broken install fails here and clearly. The first call must
	// use the tab's own context: chromedp ties the browser's life to the context that starts it.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return b
}

// Do runs steps in the tab with a deadline, failing the test with what was being done.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (page exceptions: %v)", what, err, b.Exceptions())
	}
}

// Get runs one action that returns a value (chromedp.Text, chromedp.Evaluate[T], ...) with a
// deadline, failing the test with what was being read.
func Get[T any](b *Browser, what string, action chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v (page exceptions: %v)", what, err, b.Exceptions())
	}
	return v
}

// Requests returns every URL the tab requested so far, in order, frames and iframes included.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// Exceptions returns the uncaught JavaScript exceptions the pages threw.
func (b *Browser) Exceptions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// RequireLoopbackOnly fails the test if any request went anywhere but loopback, a file on
// disk, or the page itself (data:, blob:, about:).
func (b *Browser) RequireLoopbackOnly() {
	b.t.Helper()
	for _, raw := range b.Requests() {
		if !isLocal(raw) {
			b.t.Errorf("the page requested %s, which is not loopback", raw)
		}
	}
}

func isLocal(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about", "file":
		return true
	case "http", "https", "ws", "wss":
		host := u.Hostname()
		if host == "localhost" {
			return true
		}
		ip := net.ParseIP(host)
		return ip != nil && ip.IsLoopback()
	}
	return false
}

// Screenshot saves a full-page PNG named name+".png" in the test's artifact directory
// (kept with `go test -artifacts`), and returns its path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	png := Get(b, "screenshot "+name, chromedp.FullScreenshot(90))
	dir := artifactDir(b.t)
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("saving screenshot: %v", err)
	}
	return path
}

func artifactDir(t testing.TB) string {
	if a, ok := t.(interface{ ArtifactDir() string }); ok {
		return a.ArtifactDir()
	}
	return t.TempDir()
}

func findChromium() string {
	if p := os.Getenv(PathEnv); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil && !strings.Contains(p, "snap") {
			return p
		}
	}
	return ""
}
