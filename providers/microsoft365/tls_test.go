package microsoft365

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	msgraph "github.com/microsoftgraph/msgraph-sdk-go"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
	"github.com/mailscript/mailscript/providers"
)

// TestHTTPSWithEmulatorCA: mail an application sends over SMTP (STARTTLS) is read back over
// https, by the provider trusting MAILSCRIPT_CA_FILE and by msgraph-sdk-go configured as its
// docs show (a bearer token provider, which attaches tokens to https URLs only).
func TestHTTPSWithEmulatorCA(t *testing.T) {
	// Not parallel: msgraph.NewGraphServiceClient writes the SDK's process-wide registries
	// unlocked (see registerGraphDefaults), and the provider's tests read them in parallel.
	e := startEmulator(t, emulator.Config{TLS: true, CADir: t.TempDir()})
	caFile := e.env[providers.EnvCAFile]
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	msg := "From: Shop <no-reply@shop.example>\r\nTo: qa@contoso.com\r\nSubject: Your receipt\r\n\r\nThanks.\r\n"
	if err := smtptest.Send(e.srv.SMTPAddr(), pool, nil, "no-reply@shop.example", []string{qaBox}, msg); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	got, err := e.connect(t, nil).List(ctx, providers.Criteria{})
	if err != nil || len(got) != 1 || got[0].Subject != "Your receipt" {
		t.Fatalf("provider over https: %v %+v", err, got)
	}
	_, err = e.connect(t, nil, providers.EnvCAFile, "").List(ctx, providers.Criteria{})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without MAILSCRIPT_CA_FILE: %v, want a certificate error", err)
	}

	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	cc := clientcredentials.Config{ClientID: e.env[EnvClientID], ClientSecret: e.env[EnvClientSecret],
		TokenURL: e.env[EnvLoginURL] + "/" + e.env[EnvTenantID] + "/oauth2/v2.0/token", Scopes: []string{"https://graph.microsoft.com/.default"}}
	tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
	if err != nil {
		t.Fatal(err)
	}
	auth := absauth.NewBaseBearerTokenAuthenticationProvider(staticToken(tok.AccessToken))
	adapter, err := msgraph.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, hc)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(e.env[EnvGraphURL] + "/v1.0")
	page, err := msgraph.NewGraphServiceClient(adapter).Users().ByUserId(qaBox).Messages().Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ms := page.GetValue(); len(ms) != 1 || *ms[0].GetSubject() != "Your receipt" {
		t.Fatalf("msgraph-sdk-go found %d messages", len(ms))
	}
}

// staticToken hands msgraph-sdk-go a token fetched from the emulator's token endpoint.
type staticToken string

func (s staticToken) GetAuthorizationToken(context.Context, *url.URL, map[string]any) (string, error) {
	return string(s), nil
}

func (s staticToken) GetAllowedHostsValidator() *absauth.AllowedHostsValidator {
	v := absauth.NewAllowedHostsValidator(nil)
	return &v
}
