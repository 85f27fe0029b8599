package google

import (
	"context"
	"crypto/x509"
	"os"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/emulatortest"
	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
	"github.com/mailscript/mailscript/providers"
)

// TestHTTPSWithEmulatorCA: mail an application sends over SMTP (STARTTLS) is read back with
// gmail/v1 over https, the token fetched from the key file's https token_uri, trusting
// MAILSCRIPT_CA_FILE; without it the provider fails at once, naming the fix.
func TestHTTPSWithEmulatorCA(t *testing.T) {
	t.Parallel()
	srv := emulatortest.Start(t, emulator.Config{TLS: true})
	env := srv.Env()
	pem, err := os.ReadFile(env[providers.EnvCAFile])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	user := env[EnvUser]
	msg := "From: Shop <no-reply@shop.example>\r\nTo: " + user + "\r\nSubject: Your receipt\r\n\r\nThanks.\r\n"
	if err := smtptest.Send(srv.SMTPAddr(), pool, nil, "no-reply@shop.example", []string{user}, msg); err != nil {
		t.Fatal(err)
	}
	connect := func(caFile string) providers.Mailbox {
		vars := map[string]string{}
		for k, v := range env {
			vars[k] = v
		}
		vars[providers.EnvCAFile] = caFile
		mb, err := Connect(providers.Options{}, func(k string) string { return vars[k] }, providers.NewShared(nil))
		if err != nil {
			t.Fatal(err)
		}
		return mb
	}
	ctx := context.Background()
	got, err := connect(env[providers.EnvCAFile]).List(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "Your receipt"}})
	if err != nil || len(got) != 1 || got[0].Subject != "Your receipt" {
		t.Fatalf("gmail/v1 over https: %v %+v", err, got)
	}
	_, err = connect("").List(ctx, providers.Criteria{})
	if err == nil || !strings.Contains(err.Error(), providers.EnvCAFile) {
		t.Fatalf("without MAILSCRIPT_CA_FILE: %v, want a hint naming it", err)
	}
}
