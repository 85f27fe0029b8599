package mail

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
)

// maxTag keeps a plus-address's local part well inside SMTP's 64 octets.
const maxTag = 24

// uniqueAddress returns a fresh plus-address of the mailbox: base+tag-random@domain. Exchange
// Online and Gmail deliver it to the base mailbox and keep it in the recipients, so a test that
// sends to it and waits for {to: address} sees only its own mail.
func (m *mailbox) uniqueAddress(call goja.FunctionCall) goja.Value {
	tag := ""
	if v := call.Argument(0); !isAbsent(v) {
		s, ok := v.Export().(string)
		if !ok {
			m.check("uniqueAddress", argErrorf("tag must be a string such as 'signup', got %s", describe(v)))
		}
		tag = sanitizeTag(s)
	}
	base := m.box.Address()
	at := strings.LastIndexByte(base, '@')
	if at <= 0 {
		m.check("uniqueAddress", argErrorf("the mailbox was named by an id, not an address: connect with its address (mailbox: 'qa-inbox@contoso.com') to make plus-addresses"))
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	local := hex.EncodeToString(b)
	if tag != "" {
		local = tag + "-" + local
	}
	address := base[:at] + "+" + local + base[at:]
	bindings.Note(m.vu, m.start("uniqueAddress", call), address)
	return m.vu.Runtime().ToValue(address)
}

// sanitizeTag keeps what every mail system accepts in a local part without quoting: lower-case
// letters, digits and single dashes, at most maxTag characters.
func sanitizeTag(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > maxTag {
		out = strings.TrimRight(out[:maxTag], "-")
	}
	return out
}
