package microsoft365

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// TestCertificateAuth signs in with the app's certificate from a PEM file and from a
// password-protected PFX, with no client secret anywhere.
func TestCertificateAuth(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "mailscript"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	dir := t.TempDir()
	pemPath, pfxPath := filepath.Join(dir, "app.pem"), filepath.Join(dir, "app.pfx")
	pemData := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...)
	pfxData, err := pkcs12.Modern.Encode(key, cert, nil, "pfx-pass")
	if err != nil {
		t.Fatal(err)
	}
	if os.WriteFile(pemPath, pemData, 0o600) != nil || os.WriteFile(pfxPath, pfxData, 0o600) != nil {
		t.Fatal("cannot write test files")
	}
	e := startEmulator(t, emulator.Config{})
	app, err := e.srv.Store().AddApp(store.App{TenantID: e.env[EnvTenantID], DisplayName: "cert-app", Certificates: []store.Certificate{store.NewCertificate(cert)}, Permissions: []string{"Mail.Read"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []providers.Options{
		{"certificate": map[string]any{"path": pemPath}},
		{"certificate": map[string]any{"path": pfxPath, "password": "pfx-pass"}},
	} {
		mb := e.connect(t, c, EnvClientSecret, "", EnvClientID, app.ClientID)
		if _, err := mb.List(ctxT(t), providers.Criteria{}); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
	}
	// The app holds Mail.Read only: sending must say which permission to grant.
	mb := e.connect(t, providers.Options{"certificate": pemPath}, EnvClientSecret, "", EnvClientID, app.ClientID)
	_, err = mb.Send(ctxT(t), providers.Draft{To: []providers.Address{{Address: "ops@contoso.com"}}, Subject: "denied"})
	if providers.CodeOf(err) != providers.PermissionDenied || !strings.Contains(err.Error(), "Mail.Send") {
		t.Fatalf("send without Mail.Send: %v", err)
	}
	env := func(k string) string {
		if k == EnvClientSecret {
			return ""
		}
		return e.env[k]
	}
	if _, err := Connect(providers.Options{"certificate": map[string]any{"path": pfxPath, "password": "wrong"}}, env, e.shared); err == nil {
		t.Fatal("a wrong PFX password was accepted")
	}
}
