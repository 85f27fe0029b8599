package fetch

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/mailscript/mailscript/providers"
)

// transportFor returns the session's transport, building it on first use. It is the
// script's own: never the providers', so no token or mail credential can ride along.
func (s *Session) transportFor() (*http.Transport, error) {
	if s.transport != nil {
		return s.transport, nil
	}
	env := s.vu.Env()
	// The system roots plus MAILSCRIPT_CA_FILE's, as the providers trust.
	trust, err := providers.TLSConfig(env)
	if err != nil {
		return nil, err
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = proxyFrom(env)
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if trust != nil {
		t.TLSClientConfig.RootCAs = trust.RootCAs
	}
	t.IdleConnTimeout = 30 * time.Second
	s.transport = t
	return t, nil
}

// proxyFrom reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY (or their lower-case forms) from the
// script's environment, which --env-file may have extended, rather than the process's.
// Requests to loopback never go through a proxy.
func proxyFrom(env func(string) string) func(*http.Request) (*url.URL, error) {
	either := func(name string) string {
		if v := env(name); v != "" {
			return v
		}
		return env(strings.ToLower(name))
	}
	proxy := (&httpproxy.Config{
		HTTPProxy:  either("HTTP_PROXY"),
		HTTPSProxy: either("HTTPS_PROXY"),
		NoProxy:    either("NO_PROXY"),
	}).ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
}
