package providers

import (
	"net"
	"strings"
)

// IsLoopback reports whether host (a name or an IP, without port) is this machine: the only
// place a provider may send credentials over plain http://.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
