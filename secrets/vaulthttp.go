package secrets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Kinds of key-vault failure, for errors.Is: the message says what to check, the kind lets a
// caller (or a test) tell a missing secret from a refused token or a vault that did not answer.
var (
	ErrNotFound    = errors.New("secret not found")
	ErrDenied      = errors.New("access denied")
	ErrUnreachable = errors.New("vault unreachable")
)

// refError names the reference (never a value) and what to check.
type refError struct {
	ref  string
	msg  string
	kind error // ErrNotFound, ErrDenied, ErrUnreachable or nil
	err  error // the underlying failure, if any
}

func (e *refError) Error() string { return fmt.Sprintf("secret %q: %s", e.ref, e.msg) }

func (e *refError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.kind, e.err} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// fail builds a refError whose message has every registered secret masked, since vault and
// token endpoint answers are echoed into it.
func (r Resolver) fail(ref string, kind, err error, format string, args ...any) error {
	return &refError{ref: ref, msg: r.Redactor.Redact(fmt.Sprintf(format, args...)), kind: kind, err: err}
}

// sendError describes a request that got no HTTP answer; a cancelled context stays itself.
func (r Resolver) sendError(ref string, err error, what, check string) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return r.fail(ref, ErrUnreachable, err, "cannot reach %s: %v: %s", what, err, check)
}

func (r Resolver) getenv(k string) string {
	if r.Getenv == nil {
		return ""
	}
	return r.Getenv(k)
}

func (r Resolver) readFile(name string) ([]byte, error) {
	if r.ReadFile == nil {
		return os.ReadFile(name)
	}
	return r.ReadFile(name)
}

// endpoint parses a vault or token endpoint and refuses plain http off loopback, so that a token
// never crosses a network in clear. linkLocal also admits 169.254.0.0/16, where Azure's managed
// identity endpoints live on the host itself. setting names where the URL came from.
func endpoint(raw, setting string, linkLocal bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%s=%q is not an http(s) URL like https://vault.example.com", setting, raw)
	}
	if u.Scheme == "http" && !local(u.Hostname(), linkLocal) {
		return nil, fmt.Errorf("%s=%q uses plain http off this machine: use https (plain http is only for loopback)", setting, raw)
	}
	return u, nil
}

func local(host string, linkLocal bool) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || linkLocal && ip.IsLinkLocalUnicast())
}

// client returns the HTTP client for vault traffic. Redirects are followed only within the same
// scheme and host: net/http forwards custom headers such as X-Vault-Token to any redirect target.
func (r Resolver) client() *http.Client {
	c := &http.Client{Timeout: 30 * time.Second}
	if r.HTTPClient != nil {
		*c = *r.HTTPClient
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
			return fmt.Errorf("refusing a redirect from %s to %s: credentials go only to the configured host", first.Host, req.URL.Host)
		}
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		return nil
	}
	return c
}

// oauthContext makes golang.org/x/oauth2 fetch tokens through the vault client.
func (r Resolver) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, r.client())
}

// get sends a GET with headers and returns the status and at most 1 MiB of the body.
func (r Resolver) get(ctx context.Context, u string, header http.Header) (int, []byte, error) {
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Accept", "application/json")
	status, _, body, err := send(ctx, r.client(), http.MethodGet, u, h, nil)
	return status, body, err
}

// send makes one request through hc and returns the status, the headers and at most 1 MiB of
// the body.
func send(ctx context.Context, hc *http.Client, method, u string, header http.Header, body io.Reader) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, nil, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header, b, err
}

// redactingSource registers every access token it hands out before anyone can print it.
type redactingSource struct {
	src oauth2.TokenSource
	red *Redactor
}

func (s redactingSource) Token() (*oauth2.Token, error) {
	t, err := s.src.Token()
	if err == nil {
		s.red.Add(t.AccessToken)
	}
	return t, err
}

// clause makes a service's message fit inside ours: one line, no final full stop.
func clause(msg string) string {
	return strings.TrimSuffix(strings.Join(strings.Fields(msg), " "), ".")
}

// statusText is "403 Forbidden" for 403.
func statusText(code int) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", code, http.StatusText(code)))
}
