package fetch_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
)

// TestProxy: HTTP_PROXY (or http_proxy) from the script's environment, not the process's,
// carries requests; the host behind it is never resolved here, so the test stays on loopback.
func TestProxy(t *testing.T) {
	t.Parallel()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "proxied %s %s", r.Method, r.URL)
	}))
	t.Cleanup(proxy.Close)
	for _, name := range []string{"HTTP_PROXY", "http_proxy"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := jsruntimetest.Run(t, "proxy.test.js", `
				const res = await fetch('http://app.example.test/signup?x=1');
				expect(await res.text()).toBe('proxied GET http://app.example.test/signup?x=1');`,
				jsruntime.Options{Env: envWith(map[string]string{name: proxy.URL})})
			jsruntimetest.RequirePassed(t, f)
		})
	}
}
