package coalesce

import (
	"context"
	"sync"
)

// Group runs one call per key at a time: callers asking for a key while its call runs wait
// for that call's result instead of starting another. The zero Group is ready to use.
type Group[K comparable, T any] struct {
	mu    sync.Mutex
	calls map[K]*call[T]
}

type call[T any] struct {
	who  *audience
	done chan struct{}
	val  T
	err  error
}

// Do returns fn's result for key, from the call in progress or from a new one. fn runs on a
// context that ends when every caller waiting for it has gone; Do returns ctx's error as soon
// as ctx ends.
func (g *Group[K, T]) Do(ctx context.Context, key K, fn func(ctx context.Context) (T, error)) (T, error) {
	g.mu.Lock()
	c := g.calls[key]
	if c == nil || !c.who.join(ctx) {
		c = &call[T]{who: newAudience(ctx), done: make(chan struct{})}
		c.who.join(ctx)
		if g.calls == nil {
			g.calls = map[K]*call[T]{}
		}
		g.calls[key] = c
		go g.run(key, c, fn)
	}
	g.mu.Unlock()
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (g *Group[K, T]) run(key K, c *call[T], fn func(ctx context.Context) (T, error)) {
	c.val, c.err = fn(c.who.ctx)
	c.who.done()
	g.mu.Lock()
	if g.calls[key] == c {
		delete(g.calls, key)
	}
	g.mu.Unlock()
	close(c.done)
}
