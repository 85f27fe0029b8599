package mimemsg

import (
	"net/textproto"

	"github.com/mailscript/mailscript/providers"
)

// headerOf rebuilds a MIME header from a parsed message's lower-cased headers.
func headerOf(m *providers.Message) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	for k, vs := range m.Headers {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return h
}
