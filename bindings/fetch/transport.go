package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// caFileVar names a PEM file of extra trusted roots: the emulator's CA, or a company's.
const caFileVar = "MAILSCRIPT_CA_FILE"

// transportFor returns the session's transport, building it on first use. It is the
// script's own: never the providers', so no token or mail credential can ride along.
func (s *Session) transportFor() (*http.Transport, error) {
	if s.transport != nil {
		return s.transport, nil
	}
	env := s.vu.Env()
	roots, err := trustedRoots(env)
	if err != nil {
		return nil, err
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = proxyFrom(env)
	t.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	t.IdleConnTimeout = 30 * time.Second
	s.transport = t
	return t, nil
}

// trustedRoots is the system's roots plus the certificates in MAILSCRIPT_CA_FILE when set.
func trustedRoots(env func(string) string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	path := env(caFileVar)
	if path == "" {
		return pool, nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s=%s cannot be read (%v): point it at a PEM file of CA certificates, or unset it", caFileVar, path, err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s=%s holds no PEM certificate: it must contain -----BEGIN CERTIFICATE----- blocks", caFileVar, path)
	}
	return pool, nil
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
