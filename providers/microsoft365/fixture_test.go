package microsoft365

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/graph"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// testSecret is the seeded app's client secret.
const testSecret = "emulator-secret-value"

// faults is what the test server does to requests before the Graph face sees them.
type faults struct {
	latency     time.Duration
	concurrency int                        // 429 beyond this many requests in flight; 0: no limit
	throttle    func(r *http.Request) bool // answer 429 Retry-After: 1 when true
	drop        func(r *http.Request) bool // serve, then drop the connection before the answer
	dropBefore  func(r *http.Request) bool // drop the connection without serving
	tokenTTL    time.Duration              // zero: one hour
}

// fixture is a Graph face over a seeded store behind a counting, fault-injecting handler.
type fixture struct {
	srv      *httptest.Server
	store    *store.Store
	tenant   store.Tenant
	app      store.App
	requests atomic.Int64 // Graph requests (token requests not included)
	tokens   atomic.Int64
	inflight atomic.Int64
	maxSeen  atomic.Int64
}

func newFixture(t testing.TB, f faults) *fixture {
	t.Helper()
	fx := &fixture{store: store.New(store.Options{IDSeed: "m365-test"})}
	face := graph.New(fx.store, graph.Options{BaseURL: func() string { return fx.srv.URL }, TokenTTL: f.tokenTTL})
	fx.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/oauth2/") {
			fx.tokens.Add(1)
			face.ServeHTTP(w, r)
			return
		}
		fx.requests.Add(1)
		n := fx.inflight.Add(1)
		defer fx.inflight.Add(-1)
		for m := fx.maxSeen.Load(); n > m && !fx.maxSeen.CompareAndSwap(m, n); m = fx.maxSeen.Load() {
		}
		time.Sleep(f.latency)
		if (f.concurrency > 0 && int(n) > f.concurrency) || (f.throttle != nil && f.throttle(r)) {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error":{"code":"ApplicationThrottled","message":"Application is over its MailboxConcurrency limit."}}`)
			return
		}
		if dropAfter, dropBefore := f.drop != nil && f.drop(r), f.dropBefore != nil && f.dropBefore(r); dropAfter || dropBefore {
			if dropAfter {
				face.ServeHTTP(httptest.NewRecorder(), r)
			}
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		face.ServeHTTP(w, r)
	}))
	t.Cleanup(fx.srv.Close)
	var err error
	if fx.tenant, err = fx.store.AddTenant(store.Tenant{Name: "Contoso", Domains: []string{"contoso.com"}}); err != nil {
		t.Fatal(err)
	}
	if fx.app, err = fx.store.AddApp(store.App{TenantID: fx.tenant.ID, DisplayName: "mailscript", Secrets: []string{testSecret},
		Permissions: []string{"Mail.ReadWrite", "Mail.Send"}}); err != nil {
		t.Fatal(err)
	}
	for _, mb := range []store.Mailbox{
		{Address: "qa@contoso.com", DisplayName: "QA Inbox", Kind: store.Microsoft, TenantID: fx.tenant.ID},
		{Address: "ops@contoso.com", DisplayName: "Opérations Zoë", Kind: store.Microsoft, TenantID: fx.tenant.ID},
	} {
		if _, err := fx.store.AddMailbox(mb); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// env is the MAILSCRIPT_* environment that points the provider at the fixture.
func (fx *fixture) env(extra ...string) providers.Env {
	vars := map[string]string{
		EnvTenantID: fx.tenant.ID, EnvClientID: fx.app.ClientID, EnvClientSecret: testSecret,
		EnvMailbox: "qa@contoso.com", EnvLoginURL: fx.srv.URL, EnvGraphURL: fx.srv.URL,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return func(k string) string { return vars[k] }
}

func (fx *fixture) connect(t testing.TB, opts providers.Options, extra ...string) *mailbox {
	t.Helper()
	mb, err := Connect(opts, fx.env(extra...))
	if err != nil {
		t.Fatal(err)
	}
	return mb.(*mailbox)
}

var seedMu sync.Mutex

// insert delivers a plain message into qa@contoso.com's inbox.
func (fx *fixture) insert(t testing.TB, subject, from string, at time.Time, extraHeaders ...string) string {
	t.Helper()
	seedMu.Lock()
	defer seedMu.Unlock()
	raw := "From: " + from + "\r\nTo: QA Inbox <qa@contoso.com>\r\nSubject: " + subject + "\r\nDate: " + at.Format(time.RFC1123Z) + "\r\n" +
		strings.Join(extraHeaders, "") + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello " + subject + "\r\n"
	m, err := fx.store.Insert("qa@contoso.com", []byte(raw), store.InsertOptions{ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
