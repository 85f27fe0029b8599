package providers

import (
	"crypto/sha256"
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

// caPools caches one pool per CA file content, so that the mailboxes and fetches of a run,
// each of which loads the file, share one copy of the system roots. It stays process-wide,
// unlike the providers' other caches (Shared): keyed by what the file holds, a pool is
// immutable data that cannot go stale or carry one run's state into another, and fetch, which
// reads it too, has no Shared.
var caPools sync.Map // sha256 of the PEM -> *x509.CertPool

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
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, &OptionError{Field: EnvCAFile, Problem: fmt.Sprintf("%s=%s cannot be read (%v): point it at a PEM file of CA certificates, like the emulator's, or unset it", EnvCAFile, path, err)}
	}
	key := sha256.Sum256(pemBytes)
	if p, ok := caPools.Load(key); ok {
		return &tls.Config{RootCAs: p.(*x509.CertPool)}, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, &OptionError{Field: EnvCAFile, Problem: EnvCAFile + "=" + path + " holds no PEM certificate: it must contain -----BEGIN CERTIFICATE----- blocks"}
	}
	p, _ := caPools.LoadOrStore(key, pool)
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
