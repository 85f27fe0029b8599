package secrets

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/mailscript/mailscript/secrets/secretstest"
)

func TestAzureKeyVault(t *testing.T) {
	a := secretstest.NewAzure(t)
	a.Set("mail-client-secret", "0123abcd", canary)
	a.Set("mail-client-secret", "4567ef01", "second-version-value")
	a.Set("locked", "1", "forbidden-value")
	a.Forbid("locked")
	creds := []string{a.Token, a.ClientSecret}
	appService := map[string]string{"AZURE_TENANT_ID": "", "AZURE_CLIENT_SECRET": "", "AZURE_CLIENT_ID": "",
		"IDENTITY_ENDPOINT": a.URL + "/msi/token", "IDENTITY_HEADER": a.IdentityHeader}
	imds := map[string]string{"AZURE_TENANT_ID": "", "AZURE_CLIENT_SECRET": "", "AZURE_CLIENT_ID": "", "AZURE_POD_IDENTITY_AUTHORITY_HOST": a.URL}
	dir := t.TempDir()
	pemPath, pfxPath := writeAppCertificate(t, dir, "app", a.AddCertificate, "pfx-pass")
	strangerPEM, _ := writeAppCertificate(t, dir, "stranger", func(*x509.Certificate) {}, "")
	fedPath := filepath.Join(dir, "federated-token")
	if err := os.WriteFile(fedPath, []byte(a.FederatedToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	certEnv := func(path, password string) map[string]string {
		return map[string]string{"AZURE_CLIENT_SECRET": "", "AZURE_CLIENT_CERTIFICATE_PATH": path, "AZURE_CLIENT_CERTIFICATE_PASSWORD": password}
	}
	runVaultCases(t, a.Env(), creds, []vaultCase{
		{name: "latest", ref: "azurekv://qa-vault/mail-client-secret", want: "second-version-value"},
		{name: "version", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", want: canary},
		{name: "client certificate (PEM)", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", env: certEnv(pemPath, ""), want: canary, creds: []string{a.Token}},
		{name: "client certificate (PFX and password)", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", env: certEnv(pfxPath, "pfx-pass"), want: canary, creds: []string{a.Token, "pfx-pass"}},
		{name: "certificate not on the app", ref: "azurekv://qa-vault/x", env: certEnv(strangerPEM, ""), kind: ErrDenied,
			msg: []string{"AADSTS700027", "check that the certificate in AZURE_CLIENT_CERTIFICATE_PATH (thumbprint ", "is uploaded to the app registration"}},
		{name: "wrong PFX password", ref: "azurekv://qa-vault/x", env: certEnv(pfxPath, "wrong-password"), kind: ErrDenied,
			msg: []string{"AZURE_CLIENT_CERTIFICATE_PATH " + pfxPath, "AZURE_CLIENT_CERTIFICATE_PASSWORD"}},
		{name: "certificate file missing", ref: "azurekv://qa-vault/x", env: certEnv(filepath.Join(dir, "nope.pem"), ""), kind: ErrDenied,
			msg: []string{"cannot read AZURE_CLIENT_CERTIFICATE_PATH"}},
		{name: "workload identity (federated token)", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", want: canary,
			env: map[string]string{"AZURE_CLIENT_SECRET": "", "AZURE_FEDERATED_TOKEN_FILE": fedPath}, creds: []string{a.Token, a.FederatedToken}},
		{name: "App Service managed identity", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", env: appService, want: canary, creds: []string{a.Token, a.IdentityHeader}},
		{name: "VM managed identity (IMDS)", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", env: imds, want: canary, creds: []string{a.Token}},
		{name: "missing secret", ref: "azurekv://qa-vault/nope", kind: ErrNotFound,
			msg: []string{"Azure Key Vault qa-vault answered 404 Not Found SecretNotFound", "check the secret name nope"}},
		{name: "missing version", ref: "azurekv://qa-vault/mail-client-secret/ffff", kind: ErrNotFound, msg: []string{"and the version ffff"}},
		{name: "no role on the vault", ref: "azurekv://qa-vault/locked", kind: ErrDenied,
			msg: []string{"403 Forbidden Forbidden/ForbiddenByRbac: Caller is not authorized", "Key Vault Secrets User"}},
		{name: "wrong client secret", ref: "azurekv://qa-vault/locked", env: map[string]string{"AZURE_CLIENT_SECRET": "cs~rotated-away"}, kind: ErrDenied,
			msg: []string{"AADSTS7000215: Invalid client secret provided", "check AZURE_CLIENT_SECRET"}},
		{name: "wrong tenant", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_TENANT_ID": "contoso"}, kind: ErrDenied, msg: []string{"AADSTS90002", "check AZURE_TENANT_ID"}},
		{name: "wrong managed identity header", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_TENANT_ID": "", "IDENTITY_ENDPOINT": a.URL + "/msi/token", "IDENTITY_HEADER": "wrong-header"},
			kind: ErrDenied, msg: []string{"managed identity endpoint refused a token", "X-IDENTITY-HEADER"}},
		{name: "no credential at all", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_TENANT_ID": "", "AZURE_POD_IDENTITY_AUTHORITY_HOST": closedURL(t)},
			kind: ErrDenied, msg: []string{"no Azure credential: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET"}},
		{name: "vault unreachable", ref: "azurekv://qa-vault/x", env: map[string]string{"MAILSCRIPT_AZUREKV_URL": closedURL(t)}, kind: ErrUnreachable,
			msg: []string{"cannot reach Azure Key Vault qa-vault", "MAILSCRIPT_AZUREKV_URL"}},
		{name: "Entra unreachable", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_AUTHORITY_HOST": closedURL(t)}, kind: ErrUnreachable,
			msg: []string{"cannot reach Microsoft Entra", "AZURE_AUTHORITY_HOST"}},
		{name: "plain http off loopback", ref: "azurekv://qa-vault/x", env: map[string]string{"MAILSCRIPT_AZUREKV_URL": "http://{vault}.vault.example.com"}, msg: []string{"use https"}},
		{name: "bad reference", ref: "azurekv://qa-vault", msg: []string{"azurekv://VAULT/NAME"}},
		{name: "bad secret name", ref: "azurekv://qa-vault/a_b", msg: []string{"azurekv://VAULT/NAME"}},
	})
}

// writeAppCertificate writes a new self-signed certificate and key as PEM and as a PFX with
// password, and hands the certificate to register.
func writeAppCertificate(t *testing.T, dir, name string, register func(*x509.Certificate), password string) (pemPath, pfxPath string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	register(cert)
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	pemPath, pfxPath = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".pfx")
	pemData := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...)
	if os.WriteFile(pemPath, pemData, 0o600) != nil || os.WriteFile(pfxPath, pfx, 0o600) != nil {
		t.Fatal("cannot write the certificate files")
	}
	return pemPath, pfxPath
}

func TestKVResource(t *testing.T) {
	for tmpl, want := range map[string]string{
		defaultKVURL:                               "https://vault.azure.net",
		"https://{vault}.vault.azure.cn":           "https://vault.azure.cn",
		"https://{vault}.vault.usgovcloudapi.net/": "https://vault.usgovcloudapi.net",
		"http://127.0.0.1:8080":                    defaultResource,
	} {
		if got := kvResource(tmpl); got != want {
			t.Errorf("kvResource(%q) = %q, want %q", tmpl, got, want)
		}
	}
}
