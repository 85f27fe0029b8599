package fetch_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// waitCancelled fails t unless the app saw the client of a request to path go away.
func waitCancelled(t *testing.T, a *app, path string) {
	t.Helper()
	select {
	case got := <-a.cancelled:
		if got != path {
			t.Errorf("cancelled %s, want %s", got, path)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the server never saw %s cancelled", path)
	}
}

func TestAbort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		reached   bool // the request reached the server, which must see it cancelled
	}{
		{"aborted before the request", `
			const e = await fetch(env.APP + '/slow', { signal: AbortSignal.abort() }).catch(e => e);
			expect(e).toBeInstanceOf(DOMException);
			expect(e.name).toBe('AbortError');
			const c = new AbortController();
			c.abort(new Error('my reason'));
			expect(c.signal.aborted).toBe(true);
			expect(() => c.signal.throwIfAborted()).toThrow('my reason');
			const mine = await fetch(env.APP + '/slow', { signal: c.signal }).catch(e => e);
			expect(mine.message).toBe('my reason');`, false},
		{"aborted during the request", `
			const c = new AbortController();
			const heard = [];
			c.signal.addEventListener('abort', e => heard.push(e.type));
			c.signal.onabort = () => heard.push('onabort');
			const pending = fetch(env.APP + '/slow', { signal: c.signal });
			expect(await (await fetch(env.APP + '/started')).text()).toBe('/slow');
			c.abort();
			const e = await pending.catch(e => e);
			expect(e.name).toBe('AbortError');
			expect(e.code).toBe(20);
			expect(c.signal.reason).toBe(e);
			expect(heard).toEqual(['onabort', 'abort']);`, true},
		{"AbortSignal.timeout", `
			const pending = fetch(env.APP + '/slow', { signal: AbortSignal.timeout(50) });
			const e = await pending.catch(e => e);
			expect(e.name).toBe('TimeoutError');
			expect(e).toBeInstanceOf(DOMException);
			expect(e.message).toBe('The operation timed out.');`, false},
		{"AbortSignal.any", `
			const c = new AbortController();
			const s = AbortSignal.any([c.signal, AbortSignal.timeout(60000)]);
			const pending = fetch(env.APP + '/slow', { signal: s });
			await fetch(env.APP + '/started');
			c.abort();
			expect((await pending.catch(e => e)).name).toBe('AbortError');`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(t, false)
			f := jsruntimetest.Run(t, "abort.test.js", tt.src, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL})})
			jsruntimetest.RequirePassed(t, f)
			if tt.reached {
				waitCancelled(t, a, "/slow")
			}
		})
	}
}
