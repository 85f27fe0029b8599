package typings

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/mail"
	"github.com/mailscript/mailscript/bindings/secret"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/providertest"
	"github.com/mailscript/mailscript/secrets"
)

// declarations parses mail.d.ts: the declared globals and each interface's members.
func declarations(t *testing.T) (globals []string, members map[string][]string) {
	src, err := os.ReadFile("mail.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`).ReplaceAllString(string(src), "")
	for _, m := range regexp.MustCompile(`declare (?:const|function|class) (\w+)`).FindAllStringSubmatch(text, -1) {
		if !slices.Contains(globals, m[1]) {
			globals = append(globals, m[1])
		}
	}
	members = map[string][]string{}
	for _, m := range regexp.MustCompile(`(?s)interface (\w+)(?:<[^>]*>)?(?: extends (\w+))?\s*\{(.*?)\n\}`).FindAllStringSubmatch(text, -1) {
		var names []string
		for _, f := range regexp.MustCompile(`(?m)^\s+(?:readonly )?(\w+)\??[(:<]`).FindAllStringSubmatch(m[3], -1) {
			if !slices.Contains(names, f[1]) {
				names = append(names, f[1])
			}
		}
		if m[2] != "" {
			names = append(names, members[m[2]]...)
		}
		sort.Strings(names)
		members[m[1]] = names
	}
	return globals, members
}

// probe is evaluated in a VM with every global installed; it returns, per declared
// interface, the members the live objects have.
const probe = `(async () => {
  const builtins = new Set(BUILTINS);
  const keys = o => Object.keys(o).sort();
  const box = mail.connect('fake');
  await box.send({ to: 'qa@example.com', subject: 'probe', attachments: [{ name: 'a.txt', content: 'a', contentId: 'cid1', inline: true }] });
  const [summary] = await box.list();
  const message = await box.read(summary, { format: 'raw' });
  const folder = (await box.folders())[0];
  const sec = secret('env:PROBE_SECRET');
  const error = await box.read('missing').catch(e => e);
  const matchers = Object.keys(Object.getPrototypeOf(expect(1))).concat(Object.keys(expect(1))).filter(k => k !== 'constructor');
  return JSON.stringify({
    globals: Object.getOwnPropertyNames(globalThis).filter(k => !builtins.has(k)).sort(),
    Mailbox: keys(box), MessageSummary: keys(summary), Message: keys(message), Attachment: keys(message.attachments[0]),
    Address: keys(summary.from), Folder: keys(folder), Secret: ['reveal'].filter(k => typeof sec[k] === 'function'),
    Mail: keys(mail), TestFunction: keys(test), DescribeFunction: keys(describe), Expect: keys(expect),
    Matchers: [...new Set(matchers)].sort(), Console: ['log', 'info', 'warn', 'error', 'debug'].filter(k => typeof console[k] === 'function'),
    MailError: ['code', 'provider', 'status', 'providerCode'].filter(k => k in error),
  });
})()`

func TestTypingsMatchBindings(t *testing.T) {
	declared, members := declarations(t)
	registry := providers.NewRegistry(nil)
	registry.Register("fake", providertest.New("qa@example.com").Connect)
	cache := &secrets.Cache{Resolver: secrets.Resolver{Getenv: func(string) string { return "probe-secret-value" }, Redactor: &secrets.Redactor{}}}
	vm, err := jsruntime.NewVM(jsruntime.Options{WorkDir: t.TempDir(), Install: func(vu bindings.VU, global *goja.Object) error {
		if err := global.Set("mail", mail.New(vu, mail.Config{Registry: registry, Resolve: cache.Resolve})); err != nil {
			return err
		}
		return global.Set("secret", secret.Func(vu, cache.Resolve))
	}})
	if err != nil {
		t.Fatal(err)
	}
	var builtins []string
	plain := goja.New()
	names, _ := plain.RunString(`Object.getOwnPropertyNames(globalThis)`)
	if err := plain.ExportTo(names, &builtins); err != nil {
		t.Fatal(err)
	}
	if err := vm.Runtime().Set("BUILTINS", builtins); err != nil {
		t.Fatal(err)
	}
	out, err := vm.Eval(context.Background(), probe)
	if err != nil {
		t.Fatal(err)
	}
	var live map[string][]string
	if err := json.Unmarshal([]byte(out.String()), &live); err != nil {
		t.Fatal(err)
	}
	liveGlobals := slices.DeleteFunc(live["globals"], func(s string) bool { return s == "BUILTINS" })
	compare(t, "globals", declared, liveGlobals)
	for iface, have := range live {
		if iface == "globals" {
			continue
		}
		want, ok := members[iface]
		if !ok {
			t.Errorf("interface %s is not declared in mail.d.ts", iface)
			continue
		}
		if iface == "Matchers" {
			want = slices.DeleteFunc(want, func(s string) bool { return s == "not" || s == "resolves" || s == "rejects" })
			have = slices.DeleteFunc(have, func(s string) bool { return s == "not" || s == "resolves" || s == "rejects" })
		}
		if iface == "MailError" {
			want = slices.DeleteFunc(want, func(s string) bool {
				return !slices.Contains([]string{"code", "provider", "status", "providerCode"}, s)
			})
		}
		compare(t, iface, want, have)
	}
}

func compare(t *testing.T, what string, declared, live []string) {
	t.Helper()
	declared, live = slices.Sorted(slices.Values(declared)), slices.Sorted(slices.Values(live))
	for _, d := range declared {
		if !slices.Contains(live, d) {
			t.Errorf("%s: %q is declared in mail.d.ts but the runtime has no such member", what, d)
		}
	}
	for _, l := range live {
		if !slices.Contains(declared, l) {
			t.Errorf("%s: the runtime exposes %q but mail.d.ts does not declare it", what, l)
		}
	}
	if t.Failed() {
		t.Logf("%s declared: %s\n%s live: %s", what, strings.Join(declared, ","), what, strings.Join(live, ","))
	}
}
