package entracert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"software.sslmate.com/src/go-pkcs12"
)

func selfSigned(t *testing.T, key any, pub any) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "app"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c
}

func TestParseAndAssertion(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cert := selfSigned(t, key, &key.PublicKey)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, "pfx-pass")
	if err != nil {
		t.Fatal(err)
	}
	caKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ca := selfSigned(t, caKey, &caKey.PublicKey)
	pfxChain, err := pkcs12.Modern.Encode(key, cert, []*x509.Certificate{ca}, "pfx-pass")
	if err != nil {
		t.Fatal(err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})
	for name, c := range map[string]struct {
		data     []byte
		password string
	}{
		"PEM, PKCS#1 key":           {append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...), ""},
		"PEM, key first":            {append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), certPEM...), ""},
		"PFX":                       {pfx, "pfx-pass"},
		"PFX with its CA chain":     {pfxChain, "pfx-pass"},
		"PEM, CA certificate first": {append(append(caPEM, certPEM...), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})...), ""},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(c.data, c.password)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(cert.Raw)
			if got.x5tS256 != base64.RawURLEncoding.EncodeToString(sum[:]) || len(got.Thumbprint) != 40 {
				t.Errorf("thumbprints: %q %q", got.x5tS256, got.Thumbprint)
			}
			const tokenURL = "https://login.microsoftonline.com/tenant/oauth2/v2.0/token"
			signed, err := got.Assertion("client-id", tokenURL, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			var claims jwt.RegisteredClaims
			tok, err := jwt.ParseWithClaims(signed, &claims, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
				jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience(tokenURL), jwt.WithIssuer("client-id"), jwt.WithSubject("client-id"))
			if err != nil || tok.Header["x5t#S256"] != got.x5tS256 || claims.ID == "" || claims.ExpiresAt.Sub(time.Now()) > 10*time.Minute {
				t.Errorf("assertion %s: %v (header %v, claims %+v)", signed, err, tok.Header, claims)
			}
		})
	}

	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	ecPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: selfSigned(t, ec, &ec.PublicKey).Raw}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})...)
	for name, c := range map[string]struct {
		data     []byte
		password string
		want     string
	}{
		"wrong PFX password":         {pfx, "nope", "not a PEM file, and not a PFX that opens with the given password"},
		"certificate only":           {certPEM, "", "must hold both the certificate and its private key"},
		"EC key":                     {ecPEM, "", "need an RSA key"},
		"key of another certificate": {append(caPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})...), "", "no certificate in the file matches its private key"},
		"not a certificate":          {[]byte("hello"), "", "not a PEM file"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse(c.data, c.password); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Parse: %v, want %q", err, c.want)
			}
		})
	}
}
