package mimemsg

import (
	"github.com/mailscript/mailscript/internal/mimedecode"
	"github.com/mailscript/mailscript/providers"
)

// DecodeHeader decodes the RFC 2047 encoded-words in a header value (see
// mimedecode.DecodeHeader); providers use it for header values their service sends undecoded.
func DecodeHeader(v string) string { return mimedecode.DecodeHeader(v) }

// addresses parses an address header value with mimedecode.AddressList, whose rules the
// emulator's store shares, into providers' type.
func addresses(v string) []providers.Address {
	list := mimedecode.AddressList(v)
	if list == nil {
		return nil
	}
	out := make([]providers.Address, len(list))
	for i, a := range list {
		out[i] = providers.Address{Name: a.Name, Address: a.Address}
	}
	return out
}
