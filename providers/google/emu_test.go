package google

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/gmail"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

const (
	qaUser  = "qa@example.com"
	devUser = "dev@example.com"
	saEmail = "mailscript@emu-project.iam.gserviceaccount.com"
	saID    = "108234567890123456789"
	keyID   = "3f1b7c0e9a2d4b6c8e0f1a2b3c4d5e6f7a8b9c0d"
)

var (
	keyOnce sync.Once
	saKey   *rsa.PrivateKey
)

// emu is an emulated Google domain (example.com: qa and dev) behind a front that injects
// faults precisely (a set number of 429s, the answer of one chosen request dropped after it
// was served, canned answers), which the emulator's random fault rates cannot aim. Each test
// gets its own server, so that the process-wide token cache never mixes them.
type emu struct {
	t     testing.TB
	store *store.Store
	srv   *httptest.Server
	key   []byte
	// shared is the test's run: the mailboxes it connects share tokens, slots and quotas.
	shared *providers.Shared

	throttle atomic.Int64 // the next n requests get 429 + Retry-After: 0
	drop     func(r *http.Request) bool
	dropMu   sync.Mutex
	// intercept, when set before use, answers a request itself by returning true.
	intercept func(w http.ResponseWriter, r *http.Request) bool

	mu       sync.Mutex
	requests []string // "METHOD path" of every request
}

type emuOptions struct {
	tokenTTL  time.Duration
	delegated []string // scopes delegated for example.com; nil means modify + full
}

func newEmu(t testing.TB, o emuOptions) *emu {
	keyOnce.Do(func() {
		var err error
		if saKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	s := store.New(store.Options{})
	e := &emu{t: t, store: s, shared: providers.NewShared(nil)}
	check(t, func() error { _, err := s.AddGoogleDomain(store.GoogleDomain{Domain: "example.com"}); return err })
	for _, u := range []string{qaUser, devUser} {
		check(t, func() error {
			_, err := s.AddMailbox(store.Mailbox{Address: u, DisplayName: "QA", Kind: store.Google})
			return err
		})
	}
	scopes := o.delegated
	if scopes == nil {
		scopes = []string{ScopeModify, ScopeFull}
	}
	check(t, func() error {
		_, err := s.AddServiceAccount(store.ServiceAccount{ClientEmail: saEmail, ClientID: saID, PrivateKeyID: keyID,
			ProjectID: "emu-project", PublicKey: &saKey.PublicKey, Delegations: map[string][]string{"example.com": scopes}})
		return err
	})
	var base string
	h := gmail.NewHandler(s, gmail.Options{BaseURL: func() string { return base }, TokenTTL: o.tokenTTL})
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.serve(h, w, r) }))
	base = e.srv.URL
	t.Cleanup(e.srv.Close)
	e.key = e.keyJSON(base + gmail.TokenPath)
	return e
}

func check(t testing.TB, fn func() error) {
	t.Helper()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
}

func (e *emu) serve(h http.Handler, w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.requests = append(e.requests, r.Method+" "+r.URL.Path)
	e.mu.Unlock()
	if r.URL.Path != gmail.TokenPath && e.throttle.Add(-1) >= 0 {
		w.Header().Set("Retry-After", "0")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":{"code":429,"message":"Too many concurrent requests for user","errors":[{"reason":"rateLimitExceeded","message":"Too many concurrent requests for user"}],"status":"RESOURCE_EXHAUSTED"}}`))
		return
	}
	if e.intercept != nil && e.intercept(w, r) {
		return
	}
	e.dropMu.Lock()
	drop := e.drop != nil && e.drop(r)
	e.dropMu.Unlock()
	if drop {
		// The request is served, then the connection dies before the answer: a lost answer.
		h.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	h.ServeHTTP(w, r)
}

// dropWhen makes the emulator process matching requests but drop their answers.
func (e *emu) dropWhen(f func(r *http.Request) bool) {
	e.dropMu.Lock()
	e.drop = f
	e.dropMu.Unlock()
}

// log returns and clears the request log.
func (e *emu) log() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.requests
	e.requests = nil
	return out
}

func (e *emu) keyJSON(tokenURI string) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(saKey)
	if err != nil {
		e.t.Fatal(err)
	}
	// token_uri carries the port, which keeps the token caches of parallel emulators apart.
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "emu-project", "private_key_id": keyID,
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": saEmail, "client_id": saID, "token_uri": tokenURI,
	})
	return b
}

// connect returns the provider's mailbox for user, plus extra options.
func (e *emu) connect(user string, extra providers.Options) *mailbox {
	e.t.Helper()
	opts := providers.Options{"credentials": string(e.key), "user": user, "gmailUrl": e.srv.URL}
	for k, v := range extra {
		opts[k] = v
	}
	mb, err := Connect(opts, nil, e.shared)
	if err != nil {
		e.t.Fatal(err)
	}
	return mb.(*mailbox)
}

var noOpts store.InsertOptions

// insert puts a raw message in user's mailbox and returns its id.
func (e *emu) insert(user string, raw []byte, o store.InsertOptions) string {
	e.t.Helper()
	m, err := e.store.Insert(user, raw, o)
	if err != nil {
		e.t.Fatal(err)
	}
	return m.ID
}
