package gmail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	"golang.org/x/oauth2/google"
	gmailapi "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"
)

const (
	testUser   = "qa@example.com"
	otherUser  = "dev@example.com"
	saEmail    = "mailscript@emu-project.iam.gserviceaccount.com"
	testKeyID  = "3f1b7c0e9a2d4b6c8e0f1a2b3c4d5e6f7a8b9c0d"
	testDomain = "example.com"
)

var (
	keyOnce         sync.Once
	saKey, strayKey *rsa.PrivateKey
	delegatedScopes = []string{scopeFull, scopeModify, scopeReadonly, scopeMetadata, scopeSend}
	baseTime        = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
)

func keys(t testing.TB) {
	keyOnce.Do(func() {
		var err error
		if saKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if strayKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
}

// clock is a settable test clock shared by the store and the handler.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one emulator with a Google domain, two users, a service account delegated the
// usual Gmail scopes, and a handful of messages in qa@example.com.
type env struct {
	t     testing.TB
	store *store.Store
	srv   *httptest.Server
	clock *clock
	ids   map[string]string // message name -> id

	logMu sync.Mutex
	log   []string // "METHOD /path?query" of each request since the last requests()
}

// requests returns and clears the request log.
func (e *env) requests() []string {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	out := e.log
	e.log = nil
	return out
}

func newEnv(t testing.TB) *env {
	keys(t)
	// The clock starts at wall time because the x/oauth2 JWT source stamps iat/exp with it.
	c := &clock{t: time.Now()}
	s := store.New(store.Options{IDSeed: "gmail-test", Now: c.Now})
	e := &env{t: t, store: s, clock: c, ids: map[string]string{}}
	must(t, func() error { _, err := s.AddGoogleDomain(store.GoogleDomain{Domain: testDomain}); return err })
	for _, u := range []string{testUser, otherUser} {
		must(t, func() error {
			_, err := s.AddMailbox(store.Mailbox{Address: u, DisplayName: "QA", Kind: store.Google})
			return err
		})
	}
	must(t, func() error {
		_, err := s.AddMailbox(store.Mailbox{Address: "ops@contoso.com", Kind: store.Microsoft})
		return err
	})
	must(t, func() error {
		_, err := s.AddServiceAccount(store.ServiceAccount{
			ClientEmail: saEmail, ClientID: "108234567890123456789", PrivateKeyID: testKeyID,
			ProjectID: "emu-project", PublicKey: &saKey.PublicKey,
			Delegations: map[string][]string{testDomain: delegatedScopes},
		})
		return err
	})
	var base string
	h := NewHandler(s, Options{BaseURL: func() string { return base }})
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.logMu.Lock()
		e.log = append(e.log, r.Method+" "+r.URL.RequestURI())
		e.logMu.Unlock()
		h.ServeHTTP(w, r)
	}))
	base = e.srv.URL
	t.Cleanup(e.srv.Close)
	e.seed()
	return e
}

func must(t testing.TB, fn func() error) {
	t.Helper()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
}

// keyJSON is the service-account key file, token_uri pointing at the emulator.
func (e *env) keyJSON(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "emu-project", "private_key_id": testKeyID,
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": saEmail, "client_id": "108234567890123456789",
		"auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": e.srv.URL + TokenPath,
	})
	return b
}

// service returns a Gmail client for user with the given scopes, the way providers/google
// builds one.
func (e *env) service(user string, scopes ...string) *gmailapi.Service {
	e.t.Helper()
	cfg, err := google.JWTConfigFromJSON(e.keyJSON(saKey), scopes...)
	if err != nil {
		e.t.Fatal(err)
	}
	cfg.Subject = user
	ctx := context.Background()
	svc, err := gmailapi.NewService(ctx, option.WithEndpoint(e.srv.URL+"/"), option.WithTokenSource(cfg.TokenSource(ctx)))
	if err != nil {
		e.t.Fatal(err)
	}
	return svc
}

// token fetches an access token for raw HTTP tests.
func (e *env) token(user string, scopes ...string) string {
	e.t.Helper()
	cfg, err := google.JWTConfigFromJSON(e.keyJSON(saKey), scopes...)
	if err != nil {
		e.t.Fatal(err)
	}
	cfg.Subject = user
	tok, err := cfg.TokenSource(context.Background()).Token()
	if err != nil {
		e.t.Fatal(err)
	}
	return tok.AccessToken
}

// do sends a raw request with a bearer token and returns status and body.
func (e *env) do(method, path, token string, body []byte, hdr map[string]string) (int, http.Header, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}
