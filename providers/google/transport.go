package google

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/internal/throttle"
)

// maxConcurrent bounds the requests in flight per Gmail user across the run. Gmail answers
// "Too many concurrent requests for user" (429) well before its per-second quota runs out;
// staying under the limit is cheaper than retrying.
const maxConcurrent = 8

// slotsKey names a user's semaphore in providers.Shared: one per (Gmail host, user) for the run.
type slotsKey struct{ host, user string }

func slotsFor(shared *providers.Shared, host, user string) chan struct{} {
	return providers.Share(shared, slotsKey{host, user}, func() chan struct{} { return make(chan struct{}, maxConcurrent) })
}

// hostOnly refuses requests to any host but one, so that a credential (the signed assertion,
// the access token) never follows a redirect or a forged upload Location elsewhere.
type hostOnly struct {
	host string
	next http.RoundTripper
}

func (t hostOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.EqualFold(r.URL.Host, t.host) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, fmt.Errorf("refusing to send credentials to %s: only %s is allowed", r.URL.Host, t.host)
	}
	return t.next.RoundTrip(r)
}

// authTransport holds a per-user slot until the response body is closed, charges the
// request's quota units (waiting for them if need be), and adds the bearer token. The token
// comes last so that it cannot age while the request waits for quota.
type authTransport struct {
	tokens *tokenCache
	slots  chan struct{}
	quota  *quota
	next   http.RoundTripper
}

type tokenKey struct{}

func (t *authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	// A RoundTripper must close the request body even when it sends nothing.
	refuse := func(err error) (*http.Response, error) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	select {
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		return refuse(ctx.Err())
	}
	release := sync.OnceFunc(func() { <-t.slots })
	if err := t.quota.take(ctx, unitsOf(r)); err != nil {
		release()
		return refuse(err)
	}
	tok, err := t.tokens.Token(ctx)
	if err != nil {
		release()
		return refuse(&authError{err: err})
	}
	r2 := r.Clone(ctx)
	r2.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if used, ok := ctx.Value(tokenKey{}).(*string); ok {
		*used = tok.AccessToken
	}
	resp, err := t.next.RoundTrip(r2)
	if err != nil {
		release()
		return nil, err
	}
	throttle.Release(resp, release)
	return resp, nil
}

// authError carries a token endpoint failure through the HTTP client, which wraps transport
// errors in *url.Error.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// newClients returns the client for the token endpoint and the one for the Gmail API, each
// confined to its host, both on the mailbox's connections.
func newClients(tokenURI string, gmail *url.URL, transport *providers.Conns) (tokenClient *http.Client, base http.RoundTripper, err error) {
	tu, err := url.Parse(tokenURI)
	if err != nil {
		return nil, nil, err
	}
	transport.MaxIdleConnsPerHost = maxConcurrent * 2
	transport.ResponseHeaderTimeout = 2 * time.Minute
	return &http.Client{Transport: &netErrors{next: hostOnly{host: tu.Host, next: transport}}, Timeout: time.Minute},
		hostOnly{host: gmail.Host, next: transport}, nil
}

// netErrors keeps the last network error of the token client: x/oauth2's jwt flow formats it
// into its own error with %v, and the retry policy needs its type to tell a refused
// connection (fail at once) from a dropped one (retry).
type netErrors struct {
	next http.RoundTripper
	last atomic.Pointer[error]
}

func (t *netErrors) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		t.last.Store(&err)
	}
	return resp, err
}

// unreachableError is a token fetch that failed because the token endpoint cannot be reached,
// or not with a certificate this client trusts; it unwraps to the network error.
type unreachableError struct{ err, cause error }

func (e *unreachableError) Error() string { return e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.cause }

// explain returns err with its network cause attached when the token endpoint is unreachable
// or its certificate untrusted: neither is fixed by a retry, and the untrusted one's error
// says which setting fixes it.
func (t *netErrors) explain(err error) error {
	if last := t.last.Swap(nil); err != nil && last != nil && (providers.Unreachable(*last) || untrusted(*last)) {
		return &unreachableError{err: err, cause: *last}
	}
	return err
}

// withUsedToken makes the transport record the access token a request carried, so that a 401
// can invalidate exactly that token.
func withUsedToken(ctx context.Context, used *string) context.Context {
	return context.WithValue(ctx, tokenKey{}, used)
}
