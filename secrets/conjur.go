package secrets

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// defaultJWTPath is where conjur-api-go looks for a JWT when JWT_TOKEN_PATH is unset: the
// Kubernetes service account token.
const defaultJWTPath = "/var/run/secrets/kubernetes.io/serviceaccount/token"

// conjurTokens keeps Conjur access tokens for a run, so that one authentication serves every
// variable until the token expires (after 8 minutes), when Conjur answers 401 and the resolver
// authenticates again. Cache gives each run one; a bare Resolver authenticates every time.
type conjurTokens struct {
	mu     sync.Mutex
	tokens map[string]string // by conjurAuth.key
}

// conjurAuth is how this run gets a Conjur access token, from the settings conjur-api-go and
// Summon read: a token file written by an authenticator sidecar, authn-jwt with a CI job's
// or a pod's JWT, or authn with a login and API key.
type conjurAuth struct {
	who       string // the identity, for messages: host/ci-runner, authn-jwt/gitlab
	tokenFile string
	url, form string // the authenticate request
	formType  string
	refused   string // what to check when Conjur refuses the credential
}

func (a conjurAuth) key() string { return a.url + "\x00" + a.form }

// conjur reads the variable id from Conjur: GET /secrets/{account}/variable/{id}, the id
// percent-encoded as one path segment (its slashes too), with a Conjur access token.
func (r Resolver) conjur(ctx context.Context, ref, id string) (string, error) {
	if id == "" {
		return "", r.fail(ref, nil, nil, "a Conjur reference looks like cyberark://conjur/VARIABLE-ID, like cyberark://conjur/prod/mail/client-secret")
	}
	raw := r.getenv("CONJUR_APPLIANCE_URL")
	if raw == "" {
		return "", r.fail(ref, nil, nil, "set CONJUR_APPLIANCE_URL to the Conjur server (https://conjur.example.com, or https://TENANT.secretsmgr.cyberark.cloud/api for Conjur Cloud)")
	}
	base, err := endpoint(raw, "CONJUR_APPLIANCE_URL", false)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	root := strings.TrimRight(base.String(), "/")
	// Conjur Cloud serves the API under /api; conjur-api-go adds it to a bare tenant URL too.
	if strings.HasSuffix(base.Hostname(), ".secretsmgr.cyberark.cloud") && !strings.HasSuffix(root, "/api") {
		root += "/api"
	}
	account := r.getenv("CONJUR_ACCOUNT")
	if account == "" {
		return "", r.fail(ref, nil, nil, "set CONJUR_ACCOUNT to the Conjur account (\"conjur\" on Conjur Cloud)")
	}
	auth, err := r.conjurAuth(ref, root, account)
	if err != nil {
		return "", err
	}
	hc, err := r.tlsClient("CONJUR_CERT_FILE", r.getenv("CONJUR_CERT_FILE"), nil)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	defer hc.CloseIdleConnections()

	u := root + "/secrets/" + url.PathEscape(account) + "/variable/" + url.PathEscape(id)
	var status int
	var body []byte
	for attempt := range 2 {
		token, err := r.conjurToken(ctx, ref, hc, root, auth, attempt > 0)
		if err != nil {
			return "", err
		}
		status, _, body, err = send(ctx, hc, http.MethodGet, u, http.Header{"Authorization": {`Token token="` + token + `"`}}, nil)
		if err != nil {
			return "", r.conjurSendError(ref, err, base.Host)
		}
		if status != http.StatusUnauthorized {
			break
		}
		// The token expired (8 minutes) or was revoked: authenticate, or re-read the file, once.
	}
	if status == http.StatusOK {
		return string(body), nil
	}
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	said := statusText(status)
	if e.Error.Message != "" {
		said += ": " + clause(e.Error.Message)
	}
	switch status {
	case http.StatusUnauthorized:
		if auth.tokenFile != "" {
			return "", r.fail(ref, ErrDenied, nil, "Conjur refused the access token in CONJUR_AUTHN_TOKEN_FILE=%s: it has expired (tokens last 8 minutes): "+
				"check that the authenticator that writes the file is running", auth.tokenFile)
		}
		return "", r.fail(ref, ErrDenied, nil, "Conjur answered 401 to the access token it had just issued to %s: check that CONJUR_APPLIANCE_URL points at one Conjur cluster", auth.who)
	case http.StatusForbidden:
		return "", r.fail(ref, ErrDenied, nil, "Conjur answered %s: %s may see the variable %s but not fetch its value: "+
			"grant it execute on the variable in policy (privileges: [ read, execute ])", said, auth.who, id)
	case http.StatusNotFound:
		if strings.Contains(e.Error.Message, "CONJ00076E") {
			return "", r.fail(ref, ErrNotFound, nil, "Conjur answered %s: the variable has no value yet: set one with `conjur variable set -i %s -v ...`", said, id)
		}
		return "", r.fail(ref, ErrNotFound, nil, "Conjur answered %s: check the variable id %s (without the account or the variable: prefix) in account %s, "+
			"and that %s may read it: Conjur answers 404 for a variable the role cannot see", said, id, account, auth.who)
	}
	return "", r.fail(ref, nil, nil, "Conjur answered %s reading the variable %s", said, id)
}

// conjurAuth picks the credential in conjur-api-go's order: a token file, authn-jwt when
// CONJUR_AUTHN_JWT_SERVICE_ID is set, then a login and API key.
func (r Resolver) conjurAuth(ref, root, account string) (conjurAuth, error) {
	if f := r.getenv("CONJUR_AUTHN_TOKEN_FILE"); f != "" {
		return conjurAuth{who: "the identity in CONJUR_AUTHN_TOKEN_FILE", tokenFile: f}, nil
	}
	if service := r.getenv("CONJUR_AUTHN_JWT_SERVICE_ID"); service != "" {
		jwt, from := r.getenv("CONJUR_AUTHN_JWT_TOKEN"), "CONJUR_AUTHN_JWT_TOKEN"
		if jwt == "" {
			path := r.getenv("JWT_TOKEN_PATH")
			if path == "" {
				path = defaultJWTPath
			}
			b, err := r.readFile(path)
			if err != nil {
				return conjurAuth{}, r.fail(ref, ErrDenied, err, "authn-jwt/%s needs a JWT: set CONJUR_AUTHN_JWT_TOKEN (a CI job's OIDC token), "+
					"or JWT_TOKEN_PATH to a file holding one (cannot read %s: %v)", service, path, fileError(err))
			}
			jwt, from = strings.TrimSpace(string(b)), "the JWT in "+path
		}
		r.Redactor.Add(jwt)
		u := root + "/authn-jwt/" + url.PathEscape(service) + "/" + url.PathEscape(account)
		who := "authn-jwt/" + service
		if host := r.getenv("CONJUR_AUTHN_JWT_HOST_ID"); host != "" {
			u += "/" + url.PathEscape(host)
			who += " as " + host
		}
		return conjurAuth{who: who, url: u + "/authenticate", form: url.Values{"jwt": {jwt}}.Encode(), formType: "application/x-www-form-urlencoded",
			refused: "Conjur's authenticator authn-jwt/" + service + " refused " + from + ": check that it is a current token from the issuer the authenticator trusts, " +
				"that its claims match a Conjur host's annotations, that the authenticator is enabled, and CONJUR_AUTHN_JWT_SERVICE_ID"}, nil
	}
	login, key := r.getenv("CONJUR_AUTHN_LOGIN"), r.getenv("CONJUR_AUTHN_API_KEY")
	if login == "" || key == "" {
		return conjurAuth{}, r.fail(ref, ErrDenied, nil, "no Conjur credentials: set CONJUR_AUTHN_LOGIN and CONJUR_AUTHN_API_KEY, "+
			"or CONJUR_AUTHN_JWT_SERVICE_ID and CONJUR_AUTHN_JWT_TOKEN (a CI job's OIDC token), or CONJUR_AUTHN_TOKEN_FILE")
	}
	r.Redactor.Add(key)
	return conjurAuth{who: login, url: root + "/authn/" + url.PathEscape(account) + "/" + url.PathEscape(login) + "/authenticate", form: key, formType: "text/plain",
		refused: "Conjur refused the API key for " + login + ": check CONJUR_AUTHN_API_KEY (and CONJUR_AUTHN_LOGIN, and CONJUR_ACCOUNT=" + account + ")"}, nil
}

// conjurToken returns a base64 access token for the Authorization header: from the token file,
// from this run's tokens unless fresh, or by authenticating.
func (r Resolver) conjurToken(ctx context.Context, ref string, hc *http.Client, root string, a conjurAuth, fresh bool) (string, error) {
	if a.tokenFile != "" {
		b, err := r.readFile(a.tokenFile)
		if err != nil {
			return "", r.fail(ref, ErrDenied, err, "cannot read CONJUR_AUTHN_TOKEN_FILE: %v", fileError(err))
		}
		return r.conjurTokenText(b), nil
	}
	if r.conjurTokens != nil && !fresh {
		r.conjurTokens.mu.Lock()
		t, ok := r.conjurTokens.tokens[a.key()]
		r.conjurTokens.mu.Unlock()
		if ok {
			return t, nil
		}
	}
	// Accept-Encoding: base64 asks Conjur for the token ready for the header.
	h := http.Header{"Content-Type": {a.formType}, "Accept-Encoding": {"base64"}}
	status, _, body, err := send(ctx, hc, http.MethodPost, a.url, h, strings.NewReader(a.form))
	if err != nil {
		return "", r.conjurSendError(ref, err, strings.TrimPrefix(strings.TrimPrefix(root, "https://"), "http://"))
	}
	switch {
	case status == http.StatusUnauthorized:
		return "", r.fail(ref, ErrDenied, nil, "%s", a.refused)
	case status != http.StatusOK:
		said := statusText(status)
		if len(body) > 0 && len(body) < 300 {
			said += ": " + clause(string(body))
		}
		return "", r.fail(ref, nil, nil, "Conjur answered %s to the authentication of %s: check CONJUR_APPLIANCE_URL and CONJUR_ACCOUNT", said, a.who)
	}
	token := r.conjurTokenText(body)
	if r.conjurTokens != nil {
		r.conjurTokens.mu.Lock()
		if r.conjurTokens.tokens == nil {
			r.conjurTokens.tokens = map[string]string{}
		}
		r.conjurTokens.tokens[a.key()] = token
		r.conjurTokens.mu.Unlock()
	}
	return token, nil
}

// conjurTokenText turns a token as Conjur or a token file gives it (the JSON token, or its
// base64) into the header's base64, registering both forms for redaction.
func (r Resolver) conjurTokenText(b []byte) string {
	t := strings.TrimSpace(string(b))
	if strings.HasPrefix(t, "{") {
		r.Redactor.Add(t)
		t = base64.StdEncoding.EncodeToString([]byte(t))
	} else if raw, err := base64.StdEncoding.DecodeString(t); err == nil {
		r.Redactor.Add(string(raw))
	}
	r.Redactor.Add(t)
	return t
}

func (r Resolver) conjurSendError(ref string, err error, host string) error {
	check := "check CONJUR_APPLIANCE_URL and that the server is up"
	if p := tlsProblem(err, "CONJUR_CERT_FILE", "", false); p != "" {
		check = p
	}
	return r.sendError(ref, err, "Conjur at "+host, check)
}
