package google

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// tokenCacheKey names a token cache in providers.Shared: one per (key, user, scopes) for the run,
// so that every mail.connect of the same mailbox, in any test file, shares one token.
type tokenCacheKey struct {
	key   [sha256.Size]byte
	user  string
	scope string
}

// tokenCache fetches tokens through golang.org/x/oauth2/jwt. It replaces oauth2.ReuseTokenSource
// for three reasons: waiting callers honour their own context; the refresh margin scales with
// the token's lifetime (a fixed 10 s margin refetches 2-second tokens on every call); and a token
// the API rejected can be dropped (Invalidate) so that the retry gets a fresh one.
type tokenCache struct {
	cfg *jwt.Config
	// client reaches the token_uri host only. It is the first mailbox's; once that one is
	// closed it still works, keeping no connection (providers.Conns).
	client   *http.Client
	redactor *secrets.Redactor

	mu       sync.Mutex
	tok      *oauth2.Token
	lifetime time.Duration
	inflight *tokenFetch
}

type tokenFetch struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

func sharedTokenCache(cfg *config, client *http.Client) (*tokenCache, error) {
	jc, err := google.JWTConfigFromJSON(cfg.keyJSON, cfg.scopes...)
	if err != nil {
		return nil, err
	}
	jc.Subject = cfg.user
	jc.TokenURL = cfg.key.TokenURI
	key := tokenCacheKey{sha256.Sum256(cfg.keyJSON), cfg.user, strings.Join(cfg.scopes, " ")}
	return providers.Share(cfg.shared, key, func() *tokenCache {
		return &tokenCache{cfg: jc, client: client, redactor: cfg.shared.Redactor()}
	}), nil
}

// Token returns a valid token, fetching one when the cached one is near expiry. Concurrent
// callers share one fetch.
func (c *tokenCache) Token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	if c.tok != nil && (c.tok.Expiry.IsZero() || time.Until(c.tok.Expiry) > c.margin()) {
		t := c.tok
		c.mu.Unlock()
		return t, nil
	}
	f := c.inflight
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		c.inflight = f
		go c.fetch(f)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// margin is how long before expiry a token is replaced: a tenth of its lifetime, capped at a
// minute, which leaves in-flight requests room on hour-long and 2-second tokens alike.
func (c *tokenCache) margin() time.Duration {
	return min(c.lifetime/10, time.Minute)
}

// fetch runs detached from any one caller's context: a caller that gives up must not fail the
// fetch for the others waiting on it.
func (c *tokenCache) fetch(f *tokenFetch) {
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), oauth2.HTTPClient, c.client), time.Minute)
	defer cancel()
	start := time.Now()
	tok, err := c.cfg.TokenSource(ctx).Token()
	if ne, ok := c.client.Transport.(*netErrors); ok {
		err = ne.explain(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight = nil
	if err == nil {
		c.redactor.Add(tok.AccessToken)
		c.tok = tok
		c.lifetime = tok.Expiry.Sub(start)
	}
	f.tok, f.err = tok, err
	close(f.done)
}

// Invalidate drops tok if it is still the cached one, after the API refused it.
func (c *tokenCache) Invalidate(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && c.tok.AccessToken == tok {
		c.tok = nil
	}
}
