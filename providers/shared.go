package providers

import (
	"sync"

	"github.com/mailscript/mailscript/secrets"
)

// Shared is what the mailboxes of one run share, the providers' part of k6's GlobalState: each
// provider's caches (a token per credential, a mailbox's concurrency slots, a Gmail user's
// quota) and the redactor that learns the secrets they meet. cmd makes one per run and gives it
// to the Registry, which hands it to every connect. So the VMs of a run, parallel test files
// included, share a mailbox's limits and token, as they must to stay within the service's
// limits, while two runs in one process (tests, REPL sessions) share nothing by accident.
type Shared struct {
	redactor *secrets.Redactor

	mu     sync.Mutex
	values map[any]any
}

// NewShared returns an empty Shared whose providers register secrets with redactor; nil makes
// one of its own.
func NewShared(redactor *secrets.Redactor) *Shared {
	if redactor == nil {
		redactor = &secrets.Redactor{}
	}
	return &Shared{redactor: redactor, values: map[any]any{}}
}

// Redactor is the run's redactor: providers register the credentials and tokens they handle,
// and mask their own error texts with it.
func (s *Shared) Redactor() *secrets.Redactor { return s.redactor }

// Share returns the value s holds under key, made by create the first time it is asked for.
// Each cache of a provider uses a key type of its own (unexported, comparable), so that the
// providers package needs to know none of them and no two can collide; create runs under s's
// lock and must not call Share.
func Share[T any](s *Shared, key any, create func() T) T {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.values[key]; ok {
		return v.(T)
	}
	v := create()
	s.values[key] = v
	return v
}
