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
	ids      map[network.RequestID]int // index in requests
	blocked  map[int]string            // index in requests -> why the browser refused to send it
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
		// Chromium runs a sandboxed iframe (the mail body of the message view) in a process of
		// its own, a target this tab's session does not see: its requests would escape Requests
		// and chromedp.FromNode could not reach its document. Sandbox and CSP are enforced
		// alike in the page's process.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,IsolateSandboxedIframes"), // replaces the default list
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &Browser{t: t, ids: map[network.RequestID]int{}, blocked: map[int]string{}}
	// The listener runs in the tab's message loop: it must return fast and run no command.
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.mu.Lock()
			b.ids[ev.RequestID] = len(b.requests)
			b.requests = append(b.requests, ev.Request.URL)
			b.mu.Unlock()
		case *network.EventLoadingFailed:
			b.mu.Lock()
			if i, ok := b.ids[ev.RequestID]; ok && ev.BlockedReason != "" {
				b.blocked[i] = string(ev.BlockedReason)
			}
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

// Blocked returns the requests the browser itself refused to send, by URL, with the reason
// (csp, mixed-content, ...): Chromium reports them as requests that failed at once.
func (b *Browser) Blocked() map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]string{}
	for i, why := range b.blocked {
		out[b.requests[i]] = why
	}
	return out
}

// RequireLoopbackOnly fails the test if any request went anywhere but loopback, a file on
// disk, or the page itself (data:, blob:, about:). A request the browser blocked (a CSP, say)
// never left it, and does not count.
func (b *Browser) RequireLoopbackOnly() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, raw := range b.requests {
		if _, refused := b.blocked[i]; !refused && !isLocal(raw) {
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
	// Chromium does not paint an iframe from another origin (a sandboxed mail body) while it
	// is out of view, and a capture beyond the viewport does not wake it: make the viewport
	// the whole page and let it paint first.
	size := Get(b, "the page's size", chromedp.Evaluate[[]int64](`[window.innerWidth, Math.ceil(document.documentElement.scrollHeight)]`))
	b.Do("show the whole page", chromedp.EmulateViewport(size[0], size[1]),
		chromedp.Evaluate[chromedp.Void](`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100))))`, chromedp.EvalAwaitPromise))
	// Quality 100 is what makes chromedp capture a PNG rather than a JPEG.
	png := Get(b, "screenshot "+name, chromedp.FullScreenshot(100))
	b.Do("restore the viewport", chromedp.EmulateReset())
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

// Frame returns the document inside the first iframe matching the CSS selector, for queries
// with chromedp.FromNode. It works for a srcdoc or sandboxed iframe, which Chromium keeps in
// the page's process; a cross-site iframe needs chromedp.WithTargetID instead.
func Frame(b *Browser, iframe string) *chromedp.Node {
	b.t.Helper()
	nodes := Get(b, "find the iframe "+iframe, chromedp.Nodes(chromedp.CSS(iframe)))
	if len(nodes) == 0 || nodes[0].ContentDocument == nil {
		b.t.Fatalf("the iframe %s has no document in this process", iframe)
	}
	return nodes[0].ContentDocument
}

// NaturalWidth waits until the first image matching the CSS selector (inside from, when not
// nil: a Frame's document) has finished loading, and returns its natural width: 0 for an
// image that failed to load.
func NaturalWidth(b *Browser, img string, from *chromedp.Node) int {
	b.t.Helper()
	var opts []chromedp.QueryOption
	if from != nil {
		opts = append(opts, chromedp.FromNode(from))
	}
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if Get(b, "is "+img+" loaded", chromedp.JavascriptAttribute[bool](chromedp.CSS(img), "complete", opts...)) || time.Now().After(end) {
			return Get(b, "the width of "+img, chromedp.JavascriptAttribute[int](chromedp.CSS(img), "naturalWidth", opts...))
		}
	}
}
