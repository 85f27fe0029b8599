package secretstest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

const cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

// GCP is Google's OAuth token endpoint (JWT-bearer grant, signature checked against the service
// account's key) and Secret Manager's REST face (GET /v1/projects/P/secrets/S/versions/V:access).
type GCP struct {
	*httptest.Server
	KeyFile     string // a service account key file whose token_uri is this server
	ClientEmail string
	Token       string

	key       *rsa.PrivateKey
	mu        sync.Mutex
	secrets   map[string]string // "projects/P/secrets/S/versions/V", V also "latest"
	forbidden map[string]bool   // "projects/P/secrets/S"
	t         testing.TB
}

// NewGCP starts the fake and writes its key file into a test folder; both go when the test ends.
func NewGCP(t testing.TB) *GCP {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	g := &GCP{ClientEmail: "mailscript@qa-project.iam.gserviceaccount.com", Token: token("ya29."), key: key,
		secrets: map[string]string{}, forbidden: map[string]bool{}, t: t}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.Close)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	file, err := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "qa-project", "private_key_id": "0123456789abcdef",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": g.ClientEmail, "client_id": "100000000000000000001", "token_uri": g.URL + "/token",
	})
	if err != nil {
		t.Fatal(err)
	}
	g.KeyFile = filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(g.KeyFile, file, 0o600); err != nil {
		t.Fatal(err)
	}
	return g
}

// Set stores a secret version, which also becomes latest.
func (g *GCP) Set(project, secret, version, value string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	base := "projects/" + project + "/secrets/" + secret
	g.secrets[base+"/versions/"+version] = value
	g.secrets[base+"/versions/latest"] = value
}

// Forbid answers 403 PERMISSION_DENIED for every version of the secret.
func (g *GCP) Forbid(project, secret string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.forbidden["projects/"+project+"/secrets/"+secret] = true
}

// Env points the application default credentials and the Secret Manager client at this fake.
func (g *GCP) Env() map[string]string {
	return map[string]string{"GOOGLE_APPLICATION_CREDENTIALS": g.KeyFile, "MAILSCRIPT_GCPSM_URL": g.URL + "/"}
}

func (g *GCP) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/token" {
		g.tokenEndpoint(w, r)
		return
	}
	status := func(code int, s, msg string) {
		writeJSON(w, code, map[string]any{"error": map[string]any{"code": code, "message": msg, "status": s}})
	}
	name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/v1/"), ":access")
	if !ok || r.Method != http.MethodGet {
		status(http.StatusNotFound, "NOT_FOUND", "The requested URL was not found on this server.")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+g.Token {
		status(http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.")
		return
	}
	secret, _, _ := strings.Cut(name, "/versions/")
	g.mu.Lock()
	value, found := g.secrets[name]
	forbidden := g.forbidden[secret]
	g.mu.Unlock()
	switch {
	case forbidden:
		status(http.StatusForbidden, "PERMISSION_DENIED", fmt.Sprintf("Permission 'secretmanager.versions.access' denied for resource '%s' (or it may not exist).", name))
	case !found:
		status(http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Secret [%s] not found or has no versions.", secret))
	default:
		crc := crc32.Checksum([]byte(value), crc32.MakeTable(crc32.Castagnoli))
		writeJSON(w, http.StatusOK, map[string]any{"name": name, "payload": map[string]string{
			"data": base64.StdEncoding.EncodeToString([]byte(value)), "dataCrc32c": strconv.FormatUint(uint64(crc), 10)}})
	}
}

// tokenEndpoint checks the JWT-bearer grant: RS256 over the key file's key, issued by the
// service account, for this token_uri, asking for cloud-platform.
func (g *GCP) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		fatalf(g.t, w, "Google token request: grant_type %q", r.PostForm.Get("grant_type"))
		return
	}
	var claims struct {
		jwt.RegisteredClaims
		Scope string `json:"scope"`
	}
	_, err := jwt.ParseWithClaims(r.PostForm.Get("assertion"), &claims, func(*jwt.Token) (any, error) { return &g.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(g.ClientEmail), jwt.WithAudience(g.URL+"/token"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
		return
	}
	if !strings.Contains(" "+claims.Scope+" ", " "+cloudPlatformScope+" ") {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_scope", "error_description": "Invalid OAuth scope or ID token audience provided."})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": g.Token, "expires_in": 3599, "token_type": "Bearer"})
}

// ForeignKeyFile writes a key file for the same account and token_uri but signed with another
// key, as after the key was rotated or deleted: the token endpoint refuses it.
func (g *GCP) ForeignKeyFile(t testing.TB) string {
	b, err := os.ReadFile(g.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]string
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(other)
	if err != nil {
		t.Fatal(err)
	}
	f["private_key"] = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	b, _ = json.Marshal(f)
	path := filepath.Join(t.TempDir(), "foreign-key.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
