package providers

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// NewMessageID returns a fresh RFC 5322 Message-ID ("<random@domain>") for a message sent from
// address. Providers set it before sending so that a send whose answer was lost can be found
// by this id instead of being repeated.
func NewMessageID(address string) string {
	domain := "mailscript.local"
	if at := strings.LastIndexByte(address, '@'); at >= 0 && at < len(address)-1 {
		domain = address[at+1:]
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "<" + hex.EncodeToString(b[:]) + ".mailscript@" + domain + ">"
}
