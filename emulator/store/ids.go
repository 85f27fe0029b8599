package store

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// idGen derives ids from a seed and a counter so that a given seed and the same sequence of
// operations produce the same ids: golden files and seeded demos stay stable across runs.
type idGen struct {
	seed string
	n    uint64
}

func (g *idGen) bytes(size int) []byte {
	out := make([]byte, 0, size)
	for len(out) < size {
		g.n++
		var ctr [8]byte
		binary.BigEndian.PutUint64(ctr[:], g.n)
		sum := sha256.Sum256(append([]byte(g.seed), ctr[:]...))
		out = append(out, sum[:]...)
	}
	return out[:size]
}

// graphID looks like an Exchange item id: URL-safe base64 with a fixed kind prefix and padding.
func (g *idGen) graphID(prefix []byte) string {
	return base64.URLEncoding.EncodeToString(append(append([]byte{}, prefix...), g.bytes(74-len(prefix))...))
}

// Prefixes that make the different Exchange id kinds look distinct, as they do on the service.
var (
	prefixMessage    = []byte{0x00, 0x03, 0x24, 0x00, 0x46}
	prefixFolder     = []byte{0x00, 0x03, 0x24, 0x00, 0x2e}
	prefixAttachment = []byte{0x00, 0x03, 0x24, 0x00, 0x12}
	prefixThread     = []byte{0x00, 0x03, 0x24, 0x00, 0x10}
)

// gmailID looks like a Gmail message or thread id: 16 lower-case hex digits.
func (g *idGen) gmailID() string {
	b := g.bytes(8)
	b[0] = 0x18 | (b[0] & 0x07) // Gmail ids of recent mail start with 18/19.
	return hex.EncodeToString(b)
}

// gmailAttachmentID looks like a Gmail attachment id: long unpadded base64url.
func (g *idGen) gmailAttachmentID() string {
	return "ANGjdJ" + base64.RawURLEncoding.EncodeToString(g.bytes(96))
}

// guid returns a GUID-formatted id (version 4 layout) for mailboxes, tenants and apps.
func (g *idGen) guid() string {
	b := g.bytes(16)
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b)
	return strings.Join([]string{h[0:8], h[8:12], h[12:16], h[16:20], h[20:32]}, "-")
}

// changeKey looks like an Exchange change key.
func (g *idGen) changeKey() string {
	return "CQAAABYAAAA" + base64.StdEncoding.EncodeToString(g.bytes(21))
}
