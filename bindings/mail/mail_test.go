package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/mail"
	"github.com/mailscript/mailscript/bindings/secret"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/jsruntime/report"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/providertest"
	"github.com/mailscript/mailscript/secrets"
)

// runScript runs src as a test file with mail.connect('fake') backed by box, beside an
// invoice.pdf it may attach, and returns the file's results.
func runScript(t *testing.T, src string, box *providertest.Fake, env map[string]string) report.File {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "invoice.pdf"), []byte("%PDF-1.4 fake"), 0o644); err != nil {
		t.Fatal(err)
	}
	registry := providers.NewRegistry(nil)
	registry.Register("fake", box.Connect)
	getenv := func(k string) string { return env[k] }
	profiles, err := secrets.ParseProfiles("mailscript.json", []byte(`{"connections": {"qa": {"provider": "fake", "mailbox": "env:QA_MAILBOX"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	opts := mailOptions(registry, profiles, getenv)
	opts.Timeout = 5 * time.Second
	return jsruntimetest.RunIn(t, dir, "case.test.js", src, opts)
}

// mailOptions installs mail and secret as mailscript run does, with registry's providers.
func mailOptions(registry *providers.Registry, profiles *secrets.Profiles, getenv func(string) string) jsruntime.Options {
	redactor := &secrets.Redactor{}
	cache := &secrets.Cache{Resolver: secrets.Resolver{Getenv: getenv, Redactor: redactor}}
	return jsruntime.Options{
		Env:      getenv,
		Redactor: redactor,
		Install: func(vu bindings.VU, global *goja.Object) error {
			if err := global.Set("mail", mail.New(vu, mail.Config{Registry: registry, Profiles: profiles, Resolve: cache.Resolve})); err != nil {
				return err
			}
			return global.Set("secret", secret.Func(vu, cache.Resolve))
		},
	}
}

func TestMailboxOperations(t *testing.T) {
	t.Parallel()
	box := providertest.New("qa@example.com")
	box.Add(providers.Message{Summary: providers.Summary{Subject: "Older", From: providers.Address{Name: "Shop", Address: "shop@example.com"},
		ReceivedAt: time.Now().Add(-time.Hour)}, Text: "old"})
	box.Add(providers.Message{Summary: providers.Summary{Subject: "Your one-time code", From: providers.Address{Address: "no-reply@example.com"}},
		Text: "Code: 493021", HTML: `<p>Code <b>493021</b> <a href="https://example.com/verify?c=493021&amp;u=1">verify</a></p>`,
		Headers: map[string][]string{"x-app": {"signup"}, "received": {"a", "b"}},
		Attachments: []providers.Attachment{{ID: "a1", Name: "code.txt", ContentType: "text/plain", Size: 6,
			Content: func(context.Context) ([]byte, error) { return []byte("493021"), nil }}}})
	f := runScript(t, `
const box = mail.connect('fake');
test('list newest first with criteria', async () => {
  const all = await box.list();
  expect(all.map(m => m.subject)).toEqual(['Your one-time code', 'Older']);
  expect(all[0].receivedAt instanceof Date).toBe(true);
  expect((await box.list({ subject: /one-time/i })).length).toBe(1);
  expect((await box.list({ from: 'SHOP' })).map(m => m.subject)).toEqual(['Older']);
  expect((await box.list({ limit: 1 })).length).toBe(1);
  expect((await box.list({ since: new Date(Date.now() - 60000) })).length).toBe(1);
  expect((await box.list({ body: '493021' })).length).toBe(1);
});
test('read gives text, html, links, headers, attachments', async () => {
  const [s] = await box.list({ subject: 'code' });
  const m = await box.read(s);
  expect(m.text).toContain('493021');
  expect(m.links).toEqual(['https://example.com/verify?c=493021&u=1']);
  expect(m.headers['x-app']).toBe('signup');
  expect(m.headers.received).toEqual(['a', 'b']);
  expect(m.attachments[0].name).toBe('code.txt');
  expect(await m.attachments[0].text()).toBe('493021');
  const bytes = await m.attachments[0].bytes();
  expect(bytes instanceof Uint8Array).toBe(true);
  expect(bytes.length).toBe(6);
  expect(await box.read(s.id)).toMatchObject({ subject: 'Your one-time code' });
});
test('send then waitFor', async () => {
  const waiting = box.waitFor({ subject: 'Invoice 42' }, { timeout: '2s', interval: '100ms' });
  const sent = await box.send({ to: 'QA <qa@example.com>', subject: 'Invoice 42', text: 'see attached',
    attachments: [{ path: 'invoice.pdf' }, { name: 'note.txt', content: 'hi' }, { name: 'b.bin', content: new Uint8Array([1, 2, 3]) }] });
  expect(sent.messageId).toMatch(/^<[0-9a-f]+\.mailscript@example\.com>$/);
  expect((await waiting).messageId).toBe(sent.messageId);
  const got = await waiting;
  expect(got.subject).toBe('Invoice 42');
  expect(got.attachments.map(a => [a.name, a.contentType, a.size])).toEqual([
    ['invoice.pdf', 'application/pdf', 13], ['note.txt', 'text/plain; charset=utf-8', 2], ['b.bin', 'application/octet-stream', 3]]);
});
test('markRead, move and delete update the message', async () => {
  const [s] = await box.list({ subject: 'Older' });
  await box.markRead(s);
  expect(s.isRead).toBe(true);
  expect((await box.list({ unread: false })).length).toBe(1);
  const id = await box.move(s, 'archive');
  expect(id).toBe(s.id);
  expect(s.folder).toBe('archive');
  expect((await box.list({ folder: 'archive' })).length).toBe(1);
  expect(await box.delete(s)).toBeUndefined();
  expect(s.folder).toBe('trash'); // and its id the one the provider gave it there, as after move
  expect((await box.list({ folder: 'deleteditems' })).length).toBe(1);
  const folders = await box.folders();
  expect(folders.find(f => f.id === 'deleteditems').total).toBe(1);
});
test('dates: a date alone, a local date and time, an instant, epoch milliseconds', async () => {
  const all = (await box.list({})).length;
  expect(all).toBeGreaterThan(0);
  expect((await box.list({ since: '2000-01-02' })).length).toBe(all);
  expect((await box.list({ since: '2999-01-02' })).length).toBe(0);
  expect((await box.list({ before: '2999-01-02T10:00' })).length).toBe(all);
  expect((await box.list({ before: '2000-01-02T10:00:00.5Z' })).length).toBe(0);
  expect((await box.list({ since: Date.UTC(2000, 0, 2) })).length).toBe(all);
  expect(() => box.list({ since: '2026-13-01' })).toThrow(/criteria.since: "2026-13-01" is not a date: pass a Date, epoch milliseconds or an ISO 8601 string like 2026-01-02/);
});
test('provider errors reject with code', async () => {
  const err = await box.read('nope').catch(e => e);
  expect(err.code).toBe('NOT_FOUND');
  expect(err.providerCode).toBe('ErrorItemNotFound');
  expect(err.status).toBe(404);
  expect(err.message).toContain('not found');
});
test('waitFor times out with TIMEOUT', async () => {
  const err = await box.waitFor({ subject: 'never' }, { timeout: 150, interval: 100 }).catch(e => e);
  expect(err.code).toBe('TIMEOUT');
});
`, box, nil)
	jsruntimetest.RequirePassed(t, f)
}

func TestBadArgumentsThrowTypeErrors(t *testing.T) {
	t.Parallel()
	box := providertest.New("qa@example.com")
	f := runScript(t, `
const box = mail.connect('fake');
const cases = [
  [() => mail.connect(), /first argument must be a provider name \(fake\)/],
  [() => mail.connect('nope'), /"nope" is neither a provider \(fake\) nor a connection in mailscript.json \(qa\)/],
  [() => mail.connect('fake', { mailboxx: 'x' }), /option "mailboxx": unknown option; valid options are mailbox/],
  [() => mail.connect('fake', 'x'), /options must be an object/],
  [() => box.list({ subjct: 'x' }), /criteria.subjct is not a known field/],
  [() => box.list({ subject: 3 }), /criteria.subject must be a string or a RegExp/],
  [() => box.list({ subject: /(?=x)/ }), /lookaround/],
  [() => box.list({ unread: 'yes' }), /criteria.unread must be true or false/],
  [() => box.list({ since: 'yesterday' }), /criteria.since: "yesterday" is not a date/],
  [() => box.list({ limit: 0 }), /criteria.limit must be a whole number/],
  [() => box.read(), /message must be a message id/],
  [() => box.read('x', { format: 'html' }), /options.format must be 'full' or 'raw'/],
  [() => box.send(), /send needs a draft/],
  [() => box.send({ subject: 'x' }), /draft.to is required/],
  [() => box.send({ to: 'not an address' }), /draft.to: "not an address" is not a list of e-mail addresses: write 'someone@example.com', 'Name <someone@example.com>' or several/],
  [() => box.send({ to: 'a@b.c', attachments: [{ content: 'x' }] }), /draft.attachments\[0\].name is required/],
  [() => box.send({ to: 'a@b.c', attachments: [{ name: 'a', path: 'b', content: 'x' }] }), /has both path and content/],
  [() => box.send({ to: 'a@b.c', attachments: [{ name: 'a', content: 5 }] }), /content must be a string, an ArrayBuffer or a Uint8Array/],
  [() => box.waitFor({}, { timeout: 'soon' }), /options.timeout: "soon" is not a duration/],
  [() => box.waitFor({}, { interval: 1 }), /options.interval must be at least 100ms/],
  [() => box.move('id'), /folder must be a folder name/],
  [() => box.markRead('id', 'yes'), /read must be true or false/],
  [() => secret('plain'), /secret: the argument must be a reference/],
  [() => box.read({}), /box.read: message.id must be a message id string.*got an object whose id is undefined/],
  [() => box.delete({ subject: 'x' }), /box.delete: message.id must be a message id string/],
  [() => box.markRead({ id: 5 }), /message.id must be a message id string.*whose id is the number 5$/],
  [() => box.list({ limit: '5' }), /criteria.limit must be a whole number from 1 to 100000, got the string "5"$/],
  [() => box.uniqueAddress(5), /tag must be a string such as 'signup', got the number 5$/],
  [() => { pendingSends.push(box.send({ to: { address: 'a@b.c' } })); }, null],
  [() => box.send({ to: { name: 'A' } }), /draft.to.address must be an e-mail address string/],
  [() => box.send({ to: { address: 'a@b.c', name: 5 } }), /draft.to.name must be a string/],
  [() => box.send({ to: [{ address: 'a@b.c' }, { name: 'x' }] }), /draft.to\[1\].address must be an e-mail address string/],
];
const pendingSends = [];
test('each bad call throws a TypeError naming the argument', async () => {
  for (const [fn, re] of cases) {
    let err;
    try { fn(); } catch (e) { err = e; }
    if (re === null) {
      expect(err).toBeUndefined();
      continue;
    }
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(re);
  }
  await Promise.all(pendingSends);
});
test('a missing attachment file throws a TypeError naming the path, before anything is sent', async () => {
  expect(() => box.send({ to: 'a@b.c', attachments: [{ path: 'missing.pdf' }] })).toThrow(TypeError);
  expect(() => box.send({ to: 'a@b.c', attachments: [{ path: 'missing.pdf' }] })).toThrow(/attachments\[0\]\.path: there is no file .*missing\.pdf \(a relative path is taken from the script's folder\)/);
});
`, box, nil)
	jsruntimetest.RequirePassed(t, f)
}

func TestMisspeltNamesSuggest(t *testing.T) {
	t.Parallel()
	box := providertest.New("qa@example.com")
	f := runScript(t, `
test('a misspelt method, provider or connection names the closest', async () => {
  const box = mail.connect('fake');
  expect(() => box.reed('id')).toThrow(TypeError);
  expect(() => box.reed('id')).toThrow(/^box.reed is not a function; the mailbox has delete, folders, list, markRead, move, read, send, uniqueAddress, waitFor \(did you mean read\?\)$/);
  expect(() => box.waitfor({})).toThrow(/did you mean waitFor\?/);
  expect('reed' in box).toBe(false);
  // A name close to no method is simply absent, as on any object.
  expect(box.nope).toBeUndefined();
  expect(box.user).toBeUndefined();
  expect(() => box.nope()).toThrow(/^Object has no member 'nope'$/);
  expect(box.send.name).toBe('send');
  expect(Object.keys(box)).toEqual(['provider', 'address', 'list', 'read', 'send', 'waitFor', 'delete', 'move', 'markRead', 'folders', 'uniqueAddress']);
  expect(box.then).toBeUndefined();
  expect(box.toJSON).toBeUndefined();
  expect(JSON.parse(JSON.stringify(box)).provider).toBe('fake');
  expect(Object.keys(box)).toContain('read');
  expect(await box).toBe(box);
  expect(() => mail.connect('fak')).toThrow(/"fak" is neither a provider \(fake\) nor a connection in mailscript.json \(qa\) \(did you mean fake\?\)/);
  expect(() => mail.connect('qaa')).toThrow(/did you mean qa\?/);
  expect(() => mail.connect('zzzzzz')).not.toThrow(/did you mean/);
});
`, box, nil)
	jsruntimetest.RequirePassed(t, f)
}

func TestProfilesAndSecrets(t *testing.T) {
	t.Parallel()
	box := providertest.New("qa@example.com")
	f := runScript(t, `
test('a connection name resolves its profile and secret references', async () => {
  const box = mail.connect('qa');
  expect(box.provider).toBe('fake');
  const s = secret('env:QA_MAILBOX');
  expect(String(s)).toBe('[secret env:QA_MAILBOX]');
  expect(JSON.stringify({ s })).toBe('{"s":"[secret env:QA_MAILBOX]"}');
  expect(s.reveal()).toBe('qa@example.com');
  mail.connect('fake', { mailbox: s });
  expect(() => mail.connect('qa', { mailbox: 'env:MISSING' })).toThrow(/MISSING is not set/);
  let err;
  try { secret('env:MISSING'); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(Error);
  expect(err.name).toBe('Error'); // not goja's GoError
  expect(err.message).toMatch(/MISSING/);
});
`, box, map[string]string{"QA_MAILBOX": "qa@example.com"})
	jsruntimetest.RequirePassed(t, f)
	if strings.Contains(f.Tests[0].Output, "qa@example.com") {
		t.Error("secret value in output")
	}
}

func TestMessagesPrintCompactly(t *testing.T) {
	t.Parallel()
	box := providertest.New("qa@example.com")
	box.Add(providers.Message{Summary: providers.Summary{Subject: "Welcome", From: providers.Address{Name: "Shop", Address: "shop@example.com"}},
		Text: strings.Repeat("word ", 40), HTML: "<p>" + strings.Repeat("x", 5000) + "</p>"})
	f := runScript(t, `
test('console.log shows a compact view, the object keeps every field', async () => {
  const [s] = await box.list();
  const m = await box.read(s);
  console.log(s);
  console.log(m);
  expect(m.html.length).toBe(5007);
  expect(Object.keys(m)).toContain('html');
  expect(JSON.parse(JSON.stringify(m)).html.length).toBe(5007);
});
const box = mail.connect('fake');
`, box, nil)
	jsruntimetest.RequirePassed(t, f)
	out := f.Tests[0].Output
	for _, want := range []string{"MessageSummary {", "Message {", "from: 'Shop <shop@example.com>'", "html: '[5007 characters]'", "…'"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, strings.Repeat("x", 100)) {
		t.Errorf("the compact view printed the whole HTML:\n%s", out)
	}
}

// TestAttachmentFiles: a path that is not a regular file, or a file larger than any message
// the services take, is refused when send is called, before anything is read or sent.
func TestAttachmentFiles(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, providers.MaxMessageBytes+1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	box := providertest.New("qa@example.com")
	f := runScript(t, `
const box = mail.connect('fake');
const big = `+strconv.Quote(big)+`;
test('special and oversized files are refused with a TypeError naming the path', () => {
  const cases = [
    [{ path: '/dev/zero' }, 'draft.attachments[0].path: /dev/zero is a device, not a regular file: attach a file'],
    [{ path: '.' }, ' is a folder, not a regular file: attach a file'],
    [{ path: big }, 'draft.attachments[0].path: ' + big + ' is larger than 35.0 MB, the largest message Exchange Online and Gmail take'],
  ];
  for (const [att, want] of cases) {
    let err;
    try { box.send({ to: 'a@b.c', attachments: [att] }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain(want);
  }
});
`, box, nil)
	jsruntimetest.RequirePassed(t, f)
	if n := len(box.Sent); n != 0 {
		t.Errorf("%d messages sent, want none", n)
	}
}

func TestUniqueAddress(t *testing.T) {
	t.Parallel()
	box := providertest.New("qa-inbox@contoso.com")
	f := runScript(t, `
const box = mail.connect('fake');
test('box.address is the mailbox, uniqueAddress a fresh plus-address of it', () => {
  expect(box.address).toBe('qa-inbox@contoso.com');
  const a = box.uniqueAddress('signup'), b = box.uniqueAddress('signup');
  expect(a).toMatch(/^qa-inbox\+signup-[0-9a-f]{8}@contoso\.com$/);
  expect(a).not.toBe(b);
  expect(box.uniqueAddress()).toMatch(/^qa-inbox\+[0-9a-f]{8}@contoso\.com$/);
  expect(box.uniqueAddress(' Password Reset (EU)! ')).toMatch(/^qa-inbox\+password-reset-eu-[0-9a-f]{8}@contoso\.com$/);
  expect(box.uniqueAddress('x'.repeat(100))).toMatch(/^qa-inbox\+x{24}-[0-9a-f]{8}@contoso\.com$/);
  expect(box.uniqueAddress('ü@+')).toMatch(/^qa-inbox\+[0-9a-f]{8}@contoso\.com$/);
  expect(() => box.uniqueAddress(42)).toThrow(/box.uniqueAddress: tag must be a string/);
});
test('{to: plus-address} matches that recipient only', async () => {
  const mine = box.uniqueAddress('a'), other = box.uniqueAddress('b');
  await box.send({ to: 'qa-inbox@contoso.com', cc: mine, subject: 'mine' });
  await box.send({ to: ['qa-inbox@contoso.com', other], subject: 'other' });
  expect((await box.list({ to: mine })).map(m => m.subject)).toEqual(['mine']);
  expect((await box.list({ to: other.toUpperCase() })).map(m => m.subject)).toEqual(['other']);
  expect((await box.list({ to: 'qa-inbox@contoso.com' })).length).toBe(2);
  expect((await box.list({ to: 'inbox+b' })).map(m => m.subject)).toEqual(['other']); // a fragment: the To line only
});
`, box, nil)
	jsruntimetest.RequirePassed(t, f)
}
