package secrets

import (
	"context"
	"sync"
)

// Cache resolves each reference once per run and shares the value with every VM: a key vault
// is asked once, however many test files use the secret.
type Cache struct {
	Resolver Resolver

	mu     sync.Mutex
	values map[string]Value
}

// Resolve returns the cached value of ref, resolving it on first use. Failures are not cached,
// so a fixed environment works on the next call.
func (c *Cache) Resolve(ctx context.Context, ref string) (Value, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.values[ref]; ok {
		return v, nil
	}
	if c.Resolver.conjurTokens == nil {
		c.Resolver.conjurTokens = &conjurTokens{}
	}
	v, err := c.Resolver.Resolve(ctx, ref)
	if err != nil {
		return Value{}, err
	}
	if c.values == nil {
		c.values = map[string]Value{}
	}
	c.values[ref] = v
	return v, nil
}
