package graph

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/mailscript/mailscript/emulator/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixture is a running Microsoft face over a seeded store.
type fixture struct {
	srv      *httptest.Server
	store    *store.Store
	tenant   store.Tenant
	app      store.App // Mail.ReadWrite + Mail.Send, secret "s3cret", certificate key
	readOnly store.App // Mail.Read only
	key      *rsa.PrivateKey
	cert     *x509.Certificate
	clock    *time.Time
}

const secret = "s3cret"

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clock := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	fx := &fixture{clock: &clock}
	fx.store = store.New(store.Options{IDSeed: "graph-test", Now: func() time.Time { return *fx.clock }})
	face := New(fx.store, Options{BaseURL: func() string { return fx.srv.URL }, TokenTTL: time.Hour})
	fx.srv = httptest.NewServer(face)
	t.Cleanup(fx.srv.Close)

	var err error
	fx.key, fx.cert = testCert(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fx.tenant, err = fx.store.AddTenant(store.Tenant{Name: "Contoso", Domains: []string{"contoso.onmicrosoft.com", "contoso.com"}})
	must(err)
	fx.app, err = fx.store.AddApp(store.App{TenantID: fx.tenant.ID, DisplayName: "mailscript", Secrets: []string{secret},
		Certificates: []store.Certificate{store.NewCertificate(fx.cert)}, Permissions: []string{"Mail.ReadWrite", "Mail.Send"}})
	must(err)
	fx.readOnly, err = fx.store.AddApp(store.App{TenantID: fx.tenant.ID, DisplayName: "reader", Secrets: []string{secret}, Permissions: []string{"Mail.Read"}})
	must(err)
	for _, mb := range []store.Mailbox{
		{Address: "ana@contoso.com", DisplayName: "Ana Lima", Kind: store.Microsoft, TenantID: fx.tenant.ID},
		{Address: "ben@contoso.com", DisplayName: "Ben Okafor", Kind: store.Microsoft, TenantID: fx.tenant.ID},
		{Address: "qa@example.com", DisplayName: "QA", Kind: store.Google},
	} {
		_, err = fx.store.AddMailbox(mb)
		must(err)
	}
	for i := 0; i < 25; i++ {
		raw := fmt.Sprintf("From: Shop <shop@example.net>\r\nTo: ana@contoso.com\r\nSubject: Order %02d\r\nDate: Tue, 03 Mar 2026 10:%02d:00 +0000\r\nMessage-ID: <order%d@example.net>\r\n\r\nYour order %d shipped.\r\n", i, i, i, i)
		_, err = fx.store.Insert("ana@contoso.com", []byte(raw), store.InsertOptions{ReceivedAt: time.Date(2026, 3, 3, 10, i, 0, 0, time.UTC), IsRead: i%2 == 0})
		must(err)
	}
	rich, err := os.ReadFile("testdata/rich.eml")
	must(err)
	_, err = fx.store.Insert("ana@contoso.com", rich, store.InsertOptions{ReceivedAt: time.Date(2026, 3, 4, 1, 0, 0, 0, time.UTC)})
	must(err)
	return fx
}

func testCert(t testing.TB) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailscript-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

func (fx *fixture) tokenURL() string {
	return fx.srv.URL + "/" + fx.tenant.ID + "/oauth2/v2.0/token"
}

// token gets an access token through golang.org/x/oauth2/clientcredentials.
func (fx *fixture) token(t testing.TB, app store.App) string {
	t.Helper()
	cc := clientcredentials.Config{ClientID: app.ClientID, ClientSecret: secret, TokenURL: fx.tokenURL(),
		Scopes: []string{"https://graph.microsoft.com/.default"}}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// do sends one request and returns status, headers and body.
func (fx *fixture) do(t testing.TB, method, path, token string, body io.Reader, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, fx.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func (fx *fixture) postForm(t testing.TB, path string, form url.Values) (int, []byte) {
	t.Helper()
	resp, err := http.PostForm(fx.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

var volatile = []*regexp.Regexp{
	regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
	regexp.MustCompile(`http://127\.0\.0\.1:\d+`),
}

// golden compares a JSON body, indented, with testdata/name after masking GUIDs and the port.
func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", name, err, body)
	}
	got := strings.TrimSpace(buf.String()) + "\n"
	got = volatile[0].ReplaceAllString(got, "GUID")
	got = volatile[1].ReplaceAllString(got, "http://EMULATOR")
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file:\n%s", name, got)
	}
}
