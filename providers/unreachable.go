package providers

import (
	"errors"
	"net"
	"syscall"
)

// Unreachable reports network errors that waiting will not cure: nothing listens on the port,
// or the host name does not resolve. Retrying them for half a minute only delays the message
// that names the host to check.
func Unreachable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return !dns.IsTimeout && !dns.IsTemporary
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}
