package jsruntime_test

import (
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
)

// TestBindingsTakeOddArguments calls the built-in globals (console, expect, open, timers, env)
// with values a careless script passes: each call returns or throws an Error, never a Go panic.
func TestBindingsTakeOddArguments(t *testing.T) {
	src := `
const odd = [undefined, null, 0, NaN, '', 'x', Symbol('s'), 10n, {}, [], () => {}, new Proxy({}, {get() { throw new Error('g'); }, ownKeys() { throw new Error('k'); }}),
  Object.defineProperty({}, 'a', {get() { throw new Error('getter'); }, enumerable: true}), new Proxy([], {}), Object.create(null), new Date(NaN), /x/];
test('odd arguments', async () => {
  const bad = [];
  const fns = {
    log: (a, b) => console.log(a, b), table: (a) => console.table && console.table(a), assert: (a, b) => console.assert(a, b),
    time: (a) => { console.time(a); console.timeEnd(a); }, count: (a) => console.count(a),
    expect: (a, b) => expect(a).toEqual(b), toMatch: (a, b) => expect(a).toMatch(b), toThrow: (a, b) => expect(a).toThrow(b), toHave: (a, b) => expect(a).toHaveProperty(b),
    toContain: (a, b) => expect(a).toContain(b), objContaining: (a) => expect({}).toEqual(expect.objectContaining(a)), any: (a) => expect.any(a),
    open: (a, b) => open(a, b), setTimeout: (a, b) => clearTimeout(setTimeout(a, b)), setInterval: (a, b) => clearInterval(setInterval(a, b)), sleep: (a) => sleep(a),
    envGet: (a) => env[a], envIn: (a) => a in env, keys: () => Object.keys(env),
  };
  for (const [name, fn] of Object.entries(fns)) {
    for (const a of odd) for (const b of odd.slice(0, 9)) {
      try { const p = fn(a, b); if (p && p.catch) p.catch(() => {}); } catch (e) { if (!(e instanceof Error)) bad.push(name + ': non-Error ' + String(e)); }
    }
  }
  if (bad.length) throw new Error(bad.join('\n'));
});`
	t.Parallel()
	f := jsruntimetest.Run(t, "odd.test.js", src, jsruntime.Options{})
	jsruntimetest.RequirePassed(t, f)
}
