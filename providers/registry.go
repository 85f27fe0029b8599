package providers

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Env is how a provider reads its environment fallbacks (MAILSCRIPT_*); it is injected so that
// tests and the REPL control it.
type Env func(key string) string

// ConnectFunc validates options and returns a Mailbox without touching the network:
// authentication happens on first use. Options come from the script (and later profiles);
// an invalid option returns an *OptionError naming it. The mailbox keeps its caches and limits
// in shared (the run's, never nil) and registers the secrets it meets with shared's redactor.
type ConnectFunc func(opts Options, env Env, shared *Shared) (Mailbox, error)

// Registry maps provider names to their connect functions, for one run: every mailbox it
// connects shares its Shared.
type Registry struct {
	shared    *Shared
	mu        sync.RWMutex
	providers map[string]ConnectFunc
}

// NewRegistry returns an empty registry whose mailboxes share shared (nil: a new Shared).
func NewRegistry(shared *Shared) *Registry {
	if shared == nil {
		shared = NewShared(nil)
	}
	return &Registry{shared: shared, providers: map[string]ConnectFunc{}}
}

// Register adds a provider; registering one name twice panics, as it is a programming error.
func (r *Registry) Register(name string, fn ConnectFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.providers[name]; dup {
		panic("providers: " + name + " registered twice")
	}
	r.providers[name] = fn
}

// Names lists the registered providers, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.providers))
	for n := range r.providers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Connect finds the provider and connects with opts.
func (r *Registry) Connect(name string, opts Options, env Env) (Mailbox, error) {
	r.mu.RLock()
	fn, ok := r.providers[name]
	r.mu.RUnlock()
	if !ok {
		return nil, &OptionError{Field: "provider", Problem: fmt.Sprintf("unknown provider %q%s: use one of %s", name, DidYouMean(name, r.Names()), strings.Join(r.Names(), ", "))}
	}
	return fn(opts, env, r.shared)
}
