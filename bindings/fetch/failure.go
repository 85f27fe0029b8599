package fetch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"

	"github.com/mailscript/mailscript/providers"
)

// failure says why a request got no response, in words a script's author can act on: "fetch
// http://127.0.0.1:1/x failed: connection refused". The JS side makes it a TypeError, as the
// standard does for network errors.
func failure(ctx context.Context, target string, err error) error {
	var (
		refused   *redirectRefused
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		dns       *net.DNSError
		netErr    net.Error
	)
	why := err.Error()
	if ue, ok := err.(*url.Error); ok {
		why = ue.Err.Error()
	}
	switch {
	case ctx.Err() != nil:
		why = "cancelled: " + context.Cause(ctx).Error()
	case errors.As(err, &refused):
		why = fmt.Sprintf("%s, and the request has redirect: 'error'; use redirect: 'manual' to get the 3xx response, or 'follow' to follow it", refused.Error())
	case errors.As(err, &unknownCA):
		why = fmt.Sprintf("the server's TLS certificate is not signed by a trusted authority (%v); for the emulator or a private CA, set %s to the CA's PEM file", unknownCA, providers.EnvCAFile)
	case errors.As(err, &hostname):
		why = fmt.Sprintf("the server's TLS certificate is for another host (%v)", hostname)
	case errors.As(err, &invalid):
		why = fmt.Sprintf("the server's TLS certificate is not valid (%v)", invalid)
	case errors.Is(err, syscall.ECONNREFUSED):
		why = "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		why = "the connection was reset by the server"
	case errors.As(err, &dns):
		why = fmt.Sprintf("cannot resolve the host %s (%v)", dns.Name, dns.Err)
	case errors.As(err, &netErr) && netErr.Timeout():
		why = "timed out: " + why
	}
	return fmt.Errorf("fetch %s failed: %s", target, why)
}
