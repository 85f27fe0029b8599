package secretstest

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// kvResource is the token audience of the public cloud's Key Vault.
const kvResource = "https://vault.azure.net"

// Azure is one loopback server with three faces: Microsoft Entra's token endpoint
// (/{tenant}/oauth2/v2.0/token: client secret, certificate assertion or federated token), the
// managed identity endpoints (IMDS's
// /metadata/identity/oauth2/token and App Service's /msi/token) and one Key Vault
// (/secrets/{name}[/{version}]?api-version=...).
type Azure struct {
	*httptest.Server
	Tenant, ClientID, ClientSecret string
	IdentityHeader                 string // App Service's X-IDENTITY-HEADER
	Token                          string // the access token every face issues
	FederatedToken                 string // the workload identity token Entra trusts

	certs []*x509.Certificate // the app's registered certificates

	mu        sync.Mutex
	secrets   map[string]string // "name" (latest) and "name/version"
	forbidden map[string]bool
	t         testing.TB
}

// NewAzure starts the fake; it stops when the test ends.
func NewAzure(t testing.TB) *Azure {
	a := &Azure{
		Tenant: "11111111-2222-3333-4444-555555555555", ClientID: "66666666-7777-8888-9999-000000000000",
		ClientSecret: token("cs~"), IdentityHeader: token("ih-"), Token: token("eyJ0eXAi."), FederatedToken: token("eyJhbGciOi.fed."),
		secrets: map[string]string{}, forbidden: map[string]bool{}, t: t,
	}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

// Set stores a secret as its latest version and under version.
func (a *Azure) Set(name, version, value string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.secrets[name] = value
	a.secrets[name+"/"+version] = value
}

// AddCertificate registers a certificate credential on the app.
func (a *Azure) AddCertificate(c *x509.Certificate) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.certs = append(a.certs, c)
}

// Forbid makes the vault answer 403 ForbiddenByRbac for name, as for an identity without a role.
func (a *Azure) Forbid(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.forbidden[name] = true
}

// Env is the client-secret configuration that reaches this fake.
func (a *Azure) Env() map[string]string {
	return map[string]string{
		"AZURE_TENANT_ID": a.Tenant, "AZURE_CLIENT_ID": a.ClientID, "AZURE_CLIENT_SECRET": a.ClientSecret,
		"AZURE_AUTHORITY_HOST": a.URL, "MAILSCRIPT_AZUREKV_URL": a.URL,
	}
}

func (a *Azure) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
		a.entra(w, r)
	case r.URL.Path == "/metadata/identity/oauth2/token":
		if r.Header.Get("Metadata") != "true" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "Required metadata header not specified"})
			return
		}
		a.managedIdentity(w, r, "2018-02-01")
	case r.URL.Path == "/msi/token":
		if r.Header.Get("X-Identity-Header") != a.IdentityHeader {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "Unauthorized: the X-IDENTITY-HEADER is missing or wrong"})
			return
		}
		a.managedIdentity(w, r, "2019-08-01")
	case strings.HasPrefix(r.URL.Path, "/secrets/"):
		a.keyVault(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (a *Azure) entra(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		fatalf(a.t, w, "Entra token request: %s with an unreadable form", r.Method)
		return
	}
	tenant := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/oauth2/v2.0/token")
	refuse := func(status int, code, desc string) {
		writeJSON(w, status, map[string]any{"error": code, "error_description": desc + "\r\nTrace ID: 0000\r\nCorrelation ID: 0000\r\nTimestamp: 2025-01-01 00:00:00Z",
			"error_codes": []int{0}, "trace_id": "0000", "correlation_id": "0000"})
	}
	f := r.PostForm
	switch {
	case f.Get("grant_type") != "client_credentials":
		fatalf(a.t, w, "Entra: grant_type %q, want client_credentials", f.Get("grant_type"))
	case tenant != a.Tenant:
		refuse(http.StatusBadRequest, "invalid_request", fmt.Sprintf("AADSTS90002: Tenant '%s' not found.", tenant))
	case f.Get("client_id") != a.ClientID:
		refuse(http.StatusBadRequest, "unauthorized_client", fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory.", f.Get("client_id")))
	case f.Get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
		if problem := a.checkAssertion(f.Get("client_assertion"), "http://"+r.Host+r.URL.Path); problem != "" {
			refuse(http.StatusUnauthorized, "invalid_client", problem)
			return
		}
		a.issue(w, f.Get("scope"), refuse)
	case f.Get("client_secret") != a.ClientSecret:
		refuse(http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
	default:
		a.issue(w, f.Get("scope"), refuse)
	}
}

func (a *Azure) issue(w http.ResponseWriter, scope string, refuse func(int, string, string)) {
	if scope != kvResource+"/.default" {
		refuse(http.StatusBadRequest, "invalid_scope", fmt.Sprintf("AADSTS70011: The provided value for the input parameter 'scope' is not valid: %s", scope))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": a.Token})
}

// checkAssertion accepts the federated token, or a JWT signed by a registered certificate
// (named by its x5t#S256 header) for this token endpoint and client, as Entra does; it returns
// Entra's description of what is wrong.
func (a *Azure) checkAssertion(assertion, tokenURL string) string {
	if assertion == a.FederatedToken {
		return ""
	}
	a.mu.Lock()
	certs := append([]*x509.Certificate(nil), a.certs...)
	a.mu.Unlock()
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(assertion, &claims, func(tok *jwt.Token) (any, error) {
		for _, c := range certs {
			sum := sha256.Sum256(c.Raw)
			if tok.Header["x5t#S256"] == base64.RawURLEncoding.EncodeToString(sum[:]) {
				return c.PublicKey, nil
			}
		}
		return nil, errors.New("unregistered certificate")
	}, jwt.WithValidMethods([]string{"RS256", "PS256"}), jwt.WithAudience(tokenURL), jwt.WithIssuer(a.ClientID), jwt.WithSubject(a.ClientID), jwt.WithExpirationRequired())
	if err != nil {
		return "AADSTS700027: Client assertion failed signature validation, or the certificate used to sign it is not registered on application '" + a.ClientID + "'. (" + err.Error() + ")"
	}
	return ""
}

func (a *Azure) managedIdentity(w http.ResponseWriter, r *http.Request, apiVersion string) {
	q := r.URL.Query()
	if q.Get("api-version") != apiVersion || q.Get("resource") != kvResource {
		fatalf(a.t, w, "managed identity request %s: want api-version %s and resource %s", r.URL.RawQuery, apiVersion, kvResource)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"access_token": a.Token, "expires_on": "4102444800", "resource": kvResource, "token_type": "Bearer"})
}

func (a *Azure) keyVault(w http.ResponseWriter, r *http.Request) {
	kvErr := func(status int, code, msg string, inner string) {
		e := map[string]any{"code": code, "message": msg}
		if inner != "" {
			e["innererror"] = map[string]string{"code": inner}
		}
		writeJSON(w, status, map[string]any{"error": e})
	}
	if r.URL.Query().Get("api-version") == "" {
		kvErr(http.StatusBadRequest, "BadParameter", "The request URI contains an invalid query parameter: api-version is required.", "")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+a.Token {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer authorization="%s/%s", resource="%s"`, a.URL, a.Tenant, kvResource))
		kvErr(http.StatusUnauthorized, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", "")
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/secrets/")
	name, _, _ := strings.Cut(key, "/")
	a.mu.Lock()
	value, ok := a.secrets[key]
	forbidden := a.forbidden[name]
	a.mu.Unlock()
	switch {
	case forbidden:
		kvErr(http.StatusForbidden, "Forbidden", "Caller is not authorized to perform action on resource.\r\nCaller: appid="+a.ClientID+
			"\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nAssignment: (not found)", "ForbiddenByRbac")
	case !ok:
		kvErr(http.StatusNotFound, "SecretNotFound", fmt.Sprintf("A secret with (name/id) %s was not found in this key vault.", key), "")
	default:
		writeJSON(w, http.StatusOK, map[string]any{"value": value, "id": a.URL + "/secrets/" + key,
			"attributes": map[string]any{"enabled": true, "created": 1700000000, "updated": 1700000000, "recoveryLevel": "Recoverable+Purgeable"}, "tags": map[string]string{}})
	}
}
