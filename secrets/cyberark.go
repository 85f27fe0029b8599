package secrets

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// cyberArk reads the two ways applications fetch secrets from CyberArk: cyberark://conjur/ID
// (Conjur and Conjur Cloud, see conjur.go) and cyberark://ccp/SAFE/OBJECT (the Central
// Credential Provider in front of the PAM vault, see ccp.go).
func (r Resolver) cyberArk(ctx context.Context, ref string) (string, error) {
	rest := strings.TrimPrefix(ref, "cyberark://")
	switch {
	case strings.HasPrefix(rest, "conjur/"):
		return r.conjur(ctx, ref, strings.TrimPrefix(rest, "conjur/"))
	case strings.HasPrefix(rest, "ccp/"), strings.HasPrefix(rest, "ccp?"):
		return r.ccp(ctx, ref, strings.TrimPrefix(rest, "ccp"))
	}
	return "", r.fail(ref, nil, nil, "a CyberArk reference looks like cyberark://conjur/VARIABLE-ID (Conjur) "+
		"or cyberark://ccp/SAFE/OBJECT (the Central Credential Provider)")
}

// tlsClient is the vault client with the CA bundle in caFile (named by caSetting) trusted on
// top of the system's, and cert presented when the server asks for a client certificate.
// Conjur appliances commonly carry a certificate from the organisation's own CA, and the
// Central Credential Provider authenticates applications by their certificate.
func (r Resolver) tlsClient(caSetting, caFile string, cert *tls.Certificate) (*http.Client, error) {
	c := r.client()
	if caFile == "" && cert == nil {
		return c, nil
	}
	var t *http.Transport
	switch base := c.Transport.(type) {
	case nil:
		t = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		t = base.Clone()
	default:
		return nil, fmt.Errorf("the HTTP client's transport (%T) cannot take %s or a client certificate", base, caSetting)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	}
	if caFile != "" {
		b, err := r.readFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %v", caSetting, fileError(err))
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("%s=%s holds no PEM certificate: it must be the server's CA certificate in PEM form", caSetting, caFile)
		}
		cfg.RootCAs = pool
	}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	t.TLSClientConfig = cfg
	c.Transport = t
	return c, nil
}

// tlsProblem says what to fix when err is a failed TLS handshake, and "" otherwise. A server
// that refuses the client certificate says so with an alert, which reaches Go only as text.
// certSetting names where a client certificate comes from ("" when the server takes none);
// certSet says whether one was given. Go sends none when the given one is not from a CA the
// server lists as acceptable, so the server's complaint is then "certificate required".
func tlsProblem(err error, caSetting, certSetting string, certSet bool) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	msg := err.Error()
	switch {
	case errors.As(err, &unknown):
		return "the server's certificate is not signed by a CA this machine trusts: set " + caSetting + " to the CA certificate (PEM)"
	case errors.As(err, &host):
		return "the server's certificate is not for this host name: use the name the certificate was issued for"
	case errors.As(err, &invalid):
		return "the server's certificate is not valid (expired, or not for server use)"
	case certSetting != "" && !certSet && strings.Contains(msg, "tls: certificate required"):
		return "the server requires a client certificate: set " + certSetting
	case certSetting != "" && (strings.Contains(msg, "tls: certificate required") || strings.Contains(msg, "tls: unknown certificate authority") || strings.Contains(msg, "tls: bad certificate") ||
		strings.Contains(msg, "tls: expired certificate") || strings.Contains(msg, "tls: unknown certificate")):
		return "the server refused the client certificate in " + certSetting + ": use a current one issued by a CA the server trusts"
	}
	return ""
}

// fileError is the reason a file could not be read, without the *PathError's repetition of
// the path the message already names.
func fileError(err error) error {
	if inner := errors.Unwrap(err); inner != nil {
		return inner
	}
	return err
}
