package providers

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
)

// EnvCAFile names a PEM file of extra certificate authorities the providers trust besides the
// system roots: the emulator's CA when it serves https (`mailscript emulator --tls`).
const EnvCAFile = "MAILSCRIPT_CA_FILE"

// caPools caches one pool per file, so that every mailbox connected in a run shares it.
var caPools sync.Map // path -> *x509.CertPool

// TLSConfig is the client TLS configuration for a provider's HTTP clients (and fetch's): nil (Go's default,
// the system roots) unless env names a CA file, then the system roots plus that file's CAs.
// Which hosts get a token is decided elsewhere and does not change.
func TLSConfig(env Env) (*tls.Config, error) {
	if env == nil {
		env = os.Getenv
	}
	path := strings.TrimSpace(env(EnvCAFile))
	if path == "" {
		return nil, nil
	}
	if p, ok := caPools.Load(path); ok {
		return &tls.Config{RootCAs: p.(*x509.CertPool)}, nil
	}
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, &OptionError{Field: EnvCAFile, Problem: fmt.Sprintf("%s=%s cannot be read (%v): point it at a PEM file of CA certificates, like the emulator's, or unset it", EnvCAFile, path, err)}
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, &OptionError{Field: EnvCAFile, Problem: EnvCAFile + "=" + path + " holds no PEM certificate: it must contain -----BEGIN CERTIFICATE----- blocks"}
	}
	p, _ := caPools.LoadOrStore(path, pool)
	return &tls.Config{RootCAs: p.(*x509.CertPool)}, nil
}

// UntrustedCertificate reports whether err is a TLS certificate the client does not trust (a
// problem no retry fixes) and says how to fix it.
func UntrustedCertificate(err error) (hint string, ok bool) {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &verify) && !errors.As(err, &unknown) {
		return "", false
	}
	return "the server's TLS certificate is not trusted (" + err.Error() + "): for the emulator started with --tls, set " + EnvCAFile + " to its CA file (the env file has it)", true
}
