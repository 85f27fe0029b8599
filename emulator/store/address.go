package store

import "strings"

// Resolve finds the mailbox that mail for address lands in: the mailbox whose address it is,
// or whose plus-address it is (qa-inbox+signup-7f3a@contoso.com reaches qa-inbox@contoso.com),
// compared case-insensitively, as Exchange Online and Gmail deliver. Every face and the SMTP
// ingress route recipients through it, so the rule lives here only.
func (s *Store) Resolve(address string) (Mailbox, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	mb := s.resolveLocked(address)
	if mb == nil {
		return Mailbox{}, false
	}
	return mb.Mailbox, true
}

func (s *Store) resolveLocked(address string) *mailbox {
	key := strings.ToLower(strings.TrimSpace(address))
	if mb, ok := s.byAddress[key]; ok {
		return mb
	}
	if base := BaseAddress(key); base != key {
		return s.byAddress[base]
	}
	return nil
}

// BaseAddress drops the plus tag of an address (the local part from its first '+' to the
// '@'): "qa+signup@contoso.com" gives "qa@contoso.com". An address without a tag, or whose
// tag would leave an empty local part, comes back unchanged.
func BaseAddress(address string) string {
	at := strings.LastIndexByte(address, '@')
	if at < 0 {
		return address
	}
	plus := strings.IndexByte(address[:at], '+')
	if plus <= 0 {
		return address
	}
	return address[:plus] + address[at:]
}
