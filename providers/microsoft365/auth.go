package microsoft365

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// tokenSource holds one app-only token for a (token endpoint, client, scope, credential). It is
// shared by every mailbox and VM of the run (providers.Shared), refreshed ahead of expiry, and
// fetched once however many calls need it at the same moment.
type tokenSource struct {
	cfg      *config
	tokenURL string
	scope    string
	// client reaches the token endpoint only, with retries. It is the first mailbox's; once
	// that one is closed it still works, keeping no connection (providers.Conns).
	client   *http.Client
	redactor *secrets.Redactor

	lock      chan struct{} // a mutex whose wait honours ctx
	token     string
	refreshAt time.Time
}

// tokenKey names a token source in providers.Shared: a hash of what the token is for.
type tokenKey [sha256.Size]byte

// sharedTokenSource returns the run's source for cfg's credentials.
func sharedTokenSource(cfg *config, client *http.Client) *tokenSource {
	tokenURL := cfg.loginRoot + "/" + url.PathEscape(cfg.tenantID) + "/oauth2/v2.0/token"
	scope := cfg.graphRoot + "/.default"
	cred := "secret:" + cfg.secret
	if cfg.cert != nil {
		cred = "cert:" + cfg.cert.Thumbprint
	}
	key := tokenKey(sha256.Sum256([]byte(strings.Join([]string{tokenURL, cfg.clientID, scope, cred}, "\x00"))))
	return providers.Share(cfg.shared, key, func() *tokenSource {
		return &tokenSource{cfg: cfg, tokenURL: tokenURL, scope: scope, client: client, redactor: cfg.shared.Redactor(), lock: make(chan struct{}, 1)}
	})
}

// Token returns a valid access token, fetching one when none is cached or it is near expiry.
func (ts *tokenSource) Token(ctx context.Context) (string, error) {
	select {
	case ts.lock <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-ts.lock }()
	if ts.token != "" && time.Now().Before(ts.refreshAt) {
		return ts.token, nil
	}
	return ts.fetch(ctx)
}

// Invalidate drops token if it is still the cached one (Graph said it expired early).
func (ts *tokenSource) Invalidate(token string) {
	ts.lock <- struct{}{}
	defer func() { <-ts.lock }()
	if ts.token == token {
		ts.token = ""
	}
}

func (ts *tokenSource) fetch(ctx context.Context) (string, error) {
	cc := clientcredentials.Config{
		ClientID:     ts.cfg.clientID,
		ClientSecret: ts.cfg.secret,
		TokenURL:     ts.tokenURL,
		Scopes:       []string{ts.scope},
		AuthStyle:    oauth2.AuthStyleInParams,
	}
	if ts.cfg.cert != nil {
		jwt, err := ts.cfg.cert.Assertion(ts.cfg.clientID, ts.tokenURL, time.Now())
		if err != nil {
			return "", &providers.Error{Code: providers.AuthFailed, Provider: Name, Message: "cannot sign the certificate assertion: " + err.Error()}
		}
		cc.ClientSecret = ""
		cc.EndpointParams = url.Values{
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion":      {jwt},
		}
	}
	start := time.Now()
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, ts.client))
	if err != nil {
		return "", ts.authError(err)
	}
	ts.redactor.Add(tok.AccessToken)
	life := time.Hour
	if !tok.Expiry.IsZero() {
		life = tok.Expiry.Sub(start)
	}
	// Refresh with a quarter of the lifetime left (at most five minutes early), so that even
	// two-second tokens are reused and never presented expired.
	ts.token, ts.refreshAt = tok.AccessToken, start.Add(life-min(life/4, 5*time.Minute))
	return ts.token, nil
}

var aadstsPattern = regexp.MustCompile(`AADSTS(\d+)`)

// authError turns a token endpoint failure into an error that says what to fix.
func (ts *tokenSource) authError(err error) error {
	var pe *providers.Error
	if errors.As(err, &pe) {
		return pe
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return &providers.Error{Code: providers.Unavailable, Provider: Name, Message: "cannot reach Microsoft Entra at " + ts.cfg.loginRoot + " (check " + EnvLoginURL + " and the network)", Err: errors.Unwrap(err)}
	}
	var body struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Codes       []int  `json:"error_codes"`
	}
	_ = json.Unmarshal(re.Body, &body)
	code := ""
	if len(body.Codes) > 0 {
		code = fmt.Sprint(body.Codes[0])
	} else if m := aadstsPattern.FindStringSubmatch(body.Description); m != nil {
		code = m[1]
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	e := &providers.Error{Code: providers.AuthFailed, Provider: Name, Status: status, ProviderCode: body.Error}
	if code != "" {
		e.ProviderCode = "AADSTS" + code
	}
	cfg := ts.cfg
	switch code {
	case "7000215", "7000222":
		e.Message = "the client secret was rejected by Microsoft Entra: check " + EnvClientSecret + " (or the clientSecret option); secrets expire and must be copied as the secret Value, not its ID"
	case "700016":
		e.Message = fmt.Sprintf("application %s was not found in tenant %s: check %s and that the app is registered in this tenant", cfg.clientID, cfg.tenantID, EnvClientID)
	case "90002", "900023", "90013":
		e.Message = fmt.Sprintf("tenant %q was not found by Microsoft Entra: check %s (a tenant id or verified domain)", cfg.tenantID, EnvTenantID)
	case "65001", "7000218":
		if code == "7000218" && cfg.cert == nil && cfg.secret == "" {
			e.Message = "no client credential was sent: set " + EnvClientSecret + " or a certificate"
			break
		}
		e.Code = providers.PermissionDenied
		e.Message = "the app has no admin consent in this tenant: in Entra, grant admin consent for the application permissions Mail.Read, Mail.ReadWrite and Mail.Send"
	case "700027", "700024", "700023", "700021", "50012":
		e.Message = "the certificate assertion was rejected by Microsoft Entra: upload this certificate (thumbprint " + strings.ToUpper(cfg.certThumbprint()) + ") to the app registration and check the clock"
	case "70011", "500011":
		e.Message = "the Graph resource " + ts.scope + " was refused as a scope: check " + EnvGraphURL + " and the cloud option"
	default:
		switch {
		case status == http.StatusTooManyRequests:
			e.Code, e.Message = providers.Throttled, "Microsoft Entra is throttling token requests; retry later"
		case status >= 500:
			e.Code, e.Message = providers.Unavailable, "Microsoft Entra is unavailable; retry later"
		default:
			e.Message = "Microsoft Entra refused the token request: " + firstLine(body.Description)
		}
	}
	return e
}

func (c *config) certThumbprint() string {
	if c.cert == nil {
		return ""
	}
	return c.cert.Thumbprint
}

// firstLine keeps Entra's explanation and drops its trace and correlation ids.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\r\n")
	s, _, _ = strings.Cut(s, "\n")
	return s
}
