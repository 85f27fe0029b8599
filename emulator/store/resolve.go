package store

import "strings"

// resolveLocked finds the mailbox that receives mail for address. It stands in for the
// plus-address rule of the "plus" branch (emulator/store/address.go, same signature), which
// replaces this file when both are merged.
func (s *Store) resolveLocked(address string) *mailbox {
	return s.byAddress[strings.ToLower(strings.TrimSpace(address))]
}
