package secretstest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Conjur is a Conjur server over TLS (its certificate in CertFile, for CONJUR_CERT_FILE) with
// two authenticators, authn (POST /authn/{account}/{login}/authenticate, the API key as the
// body) and authn-jwt (POST /authn-jwt/{service}/{account}[/{host}]/authenticate, jwt=... as a
// form), and the secrets endpoint (GET /secrets/{account}/variable/{id} with
// Authorization: Token token="<base64 access token>"). Path segments must be percent-encoded,
// slashes included, as Conjur's API documents. With Cloud set, the API lives under /api, as on
// Conjur Cloud.
type Conjur struct {
	*httptest.Server
	Account, Login, APIKey string
	JWTService, JWT        string // the authn-jwt authenticator and the JWT it accepts
	JWTHost                string // the host the JWT maps to
	CertFile               string
	Cloud                  bool

	mu        sync.Mutex
	variables map[string]*string // nil: declared in policy, no value yet
	noExecute map[string]bool    // the role may read the variable but not fetch its value
	tokens    map[string]string  // issued access tokens (JSON) -> the role
	authns    int
	t         testing.TB
}

// NewConjur starts the fake; it stops when the test ends.
func NewConjur(t testing.TB) *Conjur {
	c := &Conjur{Account: "qa", Login: "host/ci/mailscript-runner", APIKey: token("3ahcddy39rcxzh"),
		JWTService: "gitlab", JWT: "eyJhbGciOiJSUzI1NiJ9." + token("eyJzdWIi") + ".sig", JWTHost: "host/ci/gitlab-project",
		variables: map[string]*string{}, noExecute: map[string]bool{}, tokens: map[string]string{}, t: t}
	c.Server = httptest.NewUnstartedServer(http.HandlerFunc(c.serve))
	c.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes refused by untrusting clients are what some tests want
	c.StartTLS()
	t.Cleanup(c.Close)
	c.CertFile = serverCAFile(t, c.Server)
	return c
}

// Set stores a value in the variable id.
func (c *Conjur) Set(id, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.variables[id] = &value
}

// Declare creates the variable id without a value, as a policy load does.
func (c *Conjur) Declare(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.variables[id] = nil
}

// DenyExecute lets the roles read id but not fetch its value (read without execute).
func (c *Conjur) DenyExecute(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.noExecute[id] = true
}

// ExpireTokens makes every access token issued so far expire, as 8 minutes do.
func (c *Conjur) ExpireTokens() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens = map[string]string{}
}

// Authentications counts the access tokens issued.
func (c *Conjur) Authentications() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.authns
}

// TokenFile writes a fresh access token (JSON, as an authenticator sidecar writes it) for the
// API key's login to a file and returns its path.
func (c *Conjur) TokenFile(t testing.TB) string {
	path := filepath.Join(t.TempDir(), "conjur-access-token")
	if err := os.WriteFile(path, []byte(c.issue(c.Login)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// ApplianceURL is CONJUR_APPLIANCE_URL for this server.
func (c *Conjur) ApplianceURL() string {
	if c.Cloud {
		return c.URL + "/api"
	}
	return c.URL
}

// Env is the conjur-api-go configuration (API key authentication) that reaches this fake.
func (c *Conjur) Env() map[string]string {
	return map[string]string{"CONJUR_APPLIANCE_URL": c.ApplianceURL(), "CONJUR_ACCOUNT": c.Account,
		"CONJUR_AUTHN_LOGIN": c.Login, "CONJUR_AUTHN_API_KEY": c.APIKey, "CONJUR_CERT_FILE": c.CertFile}
}

// issue makes an access token in Conjur's format: a JSON object with protected, payload and
// signature, here with a random signature.
func (c *Conjur) issue(role string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"sub":%q,"iat":1700000000,"exp":1700000480}`, role)))
	b, _ := json.Marshal(map[string]string{"protected": base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"conjur.org/slosilo/v2","kid":"0"}`)),
		"payload": payload, "signature": token("")})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens[string(b)] = role
	c.authns++
	return string(b)
}

func (c *Conjur) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.EscapedPath()
	if c.Cloud {
		var ok bool
		if p, ok = strings.CutPrefix(p, "/api"); !ok {
			http.NotFound(w, r)
			return
		}
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		var err error
		if segs[i], err = url.PathUnescape(s); err != nil {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
	}
	switch {
	case len(segs) >= 1 && (segs[0] == "authn" || segs[0] == "authn-jwt") && segs[len(segs)-1] == "authenticate":
		c.authenticate(w, r, segs)
	case len(segs) >= 1 && segs[0] == "secrets":
		c.secret(w, r, segs)
	default:
		http.NotFound(w, r)
	}
}

func (c *Conjur) authenticate(w http.ResponseWriter, r *http.Request, segs []string) {
	if r.Method != http.MethodPost {
		fatalf(c.t, w, "Conjur: %s %s, want POST", r.Method, r.URL.Path)
		return
	}
	body, _ := io.ReadAll(r.Body)
	role := ""
	switch {
	case segs[0] == "authn" && len(segs) == 4:
		if segs[1] == c.Account && segs[2] == c.Login && string(body) == c.APIKey {
			role = c.Login
		}
	case segs[0] == "authn" || len(segs) < 4 || len(segs) > 5:
		fatalf(c.t, w, "Conjur: %s: the login or host id must be one percent-encoded path segment", r.URL.EscapedPath())
		return
	default:
		form, err := url.ParseQuery(string(body))
		if err != nil || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			fatalf(c.t, w, "Conjur authn-jwt: body must be the form jwt=..., got Content-Type %q", r.Header.Get("Content-Type"))
			return
		}
		hostOK := len(segs) == 4 || segs[3] == c.JWTHost
		if segs[1] == c.JWTService && segs[2] == c.Account && hostOK && form.Get("jwt") == c.JWT {
			role = c.JWTHost
		}
	}
	if role == "" {
		w.WriteHeader(http.StatusUnauthorized) // Conjur says no more than that
		return
	}
	tok := c.issue(role)
	if strings.EqualFold(r.Header.Get("Accept-Encoding"), "base64") {
		w.Header().Set("Content-Encoding", "base64")
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, base64.StdEncoding.EncodeToString([]byte(tok)))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, tok)
}

func (c *Conjur) secret(w http.ResponseWriter, r *http.Request, segs []string) {
	if r.Method != http.MethodGet || len(segs) != 4 || segs[2] != "variable" {
		fatalf(c.t, w, "Conjur: %s %s, want GET /secrets/{account}/variable/{percent-encoded id}", r.Method, r.URL.EscapedPath())
		return
	}
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), `Token token="`)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(auth, `"`))
	c.mu.Lock()
	_, valid := c.tokens[string(raw)]
	value, found := c.variables[segs[3]]
	noExecute := c.noExecute[segs[3]]
	c.mu.Unlock()
	account, id := segs[1], segs[3]
	switch {
	case !ok || err != nil || !valid:
		w.WriteHeader(http.StatusUnauthorized)
	case account != c.Account || !found:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"code": "not_found",
			"message": fmt.Sprintf("Variable '%s' not found in account '%s'", id, account), "target": "variable",
			"details": map[string]string{"code": "not_found", "target": "id", "message": account + ":variable:" + id}}})
	case noExecute:
		w.WriteHeader(http.StatusForbidden)
	case value == nil:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]string{"code": "not_found",
			"message": fmt.Sprintf("CONJ00076E Variable %s:variable:%s is empty or not found.", account, id)}})
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = io.WriteString(w, *value)
	}
}
