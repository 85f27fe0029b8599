package mail_test

import (
	"context"
	"io"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings/mail"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/providertest"
)

// fuzzVU is the least a binding needs to validate arguments: promises it starts never settle
// (their callbacks are dropped), and their provider calls stop when the context ends.
type fuzzVU struct {
	rt  *goja.Runtime
	ctx context.Context
	dir string
}

func (v *fuzzVU) Runtime() *goja.Runtime                  { return v.rt }
func (v *fuzzVU) Context() context.Context                { return v.ctx }
func (v *fuzzVU) RegisterCallback() func(fn func() error) { return func(func() error) {} }
func (v *fuzzVU) Env() func(string) string                { return func(string) string { return "" } }
func (v *fuzzVU) Stdout() io.Writer                       { return io.Discard }
func (v *fuzzVU) Stderr() io.Writer                       { return io.Discard }
func (v *fuzzVU) Dir() string                             { return v.dir }

// fuzzScript builds arguments from the fuzz input's bytes and calls every mailbox method and
// mail.connect with them. Anything thrown must be an Error (TypeError for bad arguments, or
// what a getter of the argument threw); a Go panic escapes RunString and fails the test.
const fuzzScript = `
(function (bytes) {
  let i = 0;
  const next = () => (i < bytes.length ? bytes[i++] : 0);
  const keys = ['id', 'to', 'cc', 'address', 'name', 'subject', 'format', 'permanent', 'timeout', 'interval',
    'attachments', 'content', 'path', 'headers', 'from', 'since', 'limit', 'folder', 'unread', 'text', 'html', 'credentials'];
  const gen = (depth) => {
    const k = next() % (depth > 3 ? 8 : 16);
    switch (k) {
      case 0: return undefined;
      case 1: return null;
      case 2: return next() - 128;
      case 3: return [0, NaN, Infinity, -0, 1e300, 2 ** 53 + 1][next() % 6];
      case 4: return ['', 'a@b', 'x', 'full', 'raw', '2s', 'inbox', 'Name <a@b.c>', 'env:NOPE', '\u0000'][next() % 10];
      case 5: return true;
      case 6: return Symbol('s');
      case 7: return 10n;
      case 8: { const o = {}; for (let n = next() % 4; n > 0; n--) o[keys[next() % keys.length]] = gen(depth + 1); return o; }
      case 9: { const a = []; for (let n = next() % 4; n > 0; n--) a.push(gen(depth + 1)); return a; }
      case 10: return function () {};
      case 11: return new Proxy({}, { get: () => gen(depth + 1), ownKeys: () => [keys[next() % keys.length]],
        getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }) });
      case 12: return Object.defineProperty({}, keys[next() % keys.length], { get() { throw new Error('getter'); }, enumerable: true });
      case 13: return /re(?=x)/i;
      case 14: return new Date(NaN);
      default: return new Uint8Array(2);
    }
  };
  const methods = ['list', 'read', 'send', 'waitFor', 'delete', 'move', 'markRead', 'folders'];
  const check = (fn) => {
    try {
      const p = fn();
      if (p && typeof p.catch === 'function') p.catch(() => {});
    } catch (e) {
      if (!(e instanceof Error)) throw new Error('a non-Error was thrown: ' + String(e));
    }
  };
  const box = mail.connect('fake');
  for (const m of methods) check(() => box[m](gen(0), gen(0)));
  check(() => mail.connect(gen(0), gen(0)));
  check(() => mail.connect('fake', gen(0)));
})
`

func FuzzMailboxArguments(f *testing.F) {
	for _, seed := range [][]byte{{}, {8, 1, 0, 8}, {8, 2, 3, 1, 4}, {11, 12, 6, 7}, {8, 3, 1, 8, 1, 3}, {9, 3, 8, 1, 3, 4}} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, input []byte) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rt := goja.New()
		vu := &fuzzVU{rt: rt, ctx: ctx, dir: dir}
		registry := providers.NewRegistry(nil)
		registry.Register("fake", providertest.New("qa@example.com").Connect)
		if err := rt.Set("mail", mail.New(vu, mail.Config{Registry: registry})); err != nil {
			t.Fatal(err)
		}
		fn, err := rt.RunString(fuzzScript)
		if err != nil {
			t.Fatal(err)
		}
		call, _ := goja.AssertFunction(fn)
		bytes := make([]any, len(input))
		for i, b := range input {
			bytes[i] = int(b)
		}
		if _, err := call(goja.Undefined(), rt.ToValue(bytes)); err != nil {
			t.Fatalf("input %v: %v", input, err)
		}
	})
}
