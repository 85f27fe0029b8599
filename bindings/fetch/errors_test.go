package fetch_test

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/secret"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/secrets"
)

func TestBadInput(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	tests := []struct{ call, want string }{
		{`fetch('/signup')`, `fetch: "/signup" is not an absolute URL; a script has no page to resolve it against, so give the whole URL, e.g. new URL('/signup', env.APP_URL)`},
		{`fetch('ftp://example.com/x')`, `fetch: "ftp://example.com/x" has the scheme ftp:, but fetch speaks http: and https: only`},
		{`fetch(env.APP, { mode: 'cors' })`, `fetch: unknown option "mode"; mailscript's fetch takes method, headers, body, redirect, signal, credentials (no browser, so mode, cache and referrer do not apply)`},
		{`fetch(env.APP, { body: 'x' })`, `fetch: a GET request cannot have a body; use method: 'POST' (or PUT, PATCH), or put the data in the URL's query`},
		{`fetch(env.APP, { method: 'head', body: 'x' })`, `fetch: a HEAD request cannot have a body`},
		{`fetch(env.APP, { redirect: 'follw' })`, `fetch: redirect must be 'follow', 'manual', 'error'; got "follw"`},
		{`fetch(env.APP, { credentials: 'yes' })`, `fetch: credentials must be 'same-origin', 'include', 'omit'`},
		{`fetch(env.APP, { signal: {} })`, `fetch: signal must be an AbortSignal`},
		{`fetch(env.APP, { headers: { 'Bad Name': 'x' } })`, `Headers.append: "Bad Name" is not a valid header name`},
		{`fetch(env.APP, { headers: { 'X-A': 'a\r\nX-B: b' } })`, `the value of x-a has a line break`},
		{`fetch(env.APP, { method: 'POST', body: { a: 1 } })`, `fetch: body must be a string, bytes`},
		{`fetch(env.APP, 'POST')`, `fetch: the second argument must be an options object`},
		{`fetch('http://user:pw@127.0.0.1/x')`, `carries a user name or password; send them in an Authorization header`},
		{`fetch(env.APP, { method: 'CONNECT' })`, `fetch: method CONNECT is forbidden`},
		{`Promise.resolve().then(() => new Request('x'))`, `new Request: "x" is not an absolute URL`},
		{`Promise.resolve().then(() => new AbortSignal())`, `AbortSignal has no constructor`},
		{`Promise.resolve().then(() => AbortSignal.timeout('5s'))`, `AbortSignal.timeout(ms): ms must be a number of milliseconds`},
		{`Promise.resolve().then(() => new File(['x']))`, `File: the file name is missing`},
		{`Promise.resolve().then(() => new FormData().append('a', 'b', 'name.txt'))`, `FormData.append: a file name goes with a Blob or File value only`},
		{`fetch('http://127.0.0.1:1/x')`, `fetch http://127.0.0.1:1/x failed: connection refused`},
		{`fetch(env.APP + '/huge')`, `failed: the response body is larger than 64 MiB (it goes on past that), the most a script may hold`},
		{`fetch(env.APP + '/announced')`, `failed: the response body is larger than 64 MiB (it announces 104857600 bytes)`},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			t.Parallel()
			src := "const e = await " + tt.call + ".then(() => null, e => e);\n" +
				"expect(e).toBeInstanceOf(TypeError);\n" +
				"expect(e.message).toContain(" + jsString(tt.want) + ");\n"
			f := jsruntimetest.Run(t, "bad.test.js", src, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL})})
			jsruntimetest.RequirePassed(t, f)
		})
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\r", `\r`, "\n", `\n`).Replace(s) + "'"
}

// TestNetworkErrorPointsAtScript: an uncaught network failure is reported at the script's
// fetch call, as a TypeError.
func TestNetworkErrorPointsAtScript(t *testing.T) {
	t.Parallel()
	f := jsruntimetest.Run(t, "refused.test.js", "test('t', async () => {\n  const x = 1;\n  await fetch('http://127.0.0.1:1/x');\n});\n", jsruntime.Options{})
	if len(f.Tests) != 1 || f.Tests[0].Error == nil {
		t.Fatalf("tests = %+v, want one failure", f.Tests)
	}
	e := f.Tests[0].Error
	if e.Name != "TypeError" || e.Message != "fetch http://127.0.0.1:1/x failed: connection refused" {
		t.Errorf("error = %s: %s", e.Name, e.Message)
	}
	if !strings.HasSuffix(e.Location, "refused.test.js:3:9") {
		t.Errorf("location = %q, want refused.test.js:3:9", e.Location)
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	a := newApp(t, true)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(notPEM, []byte("nothing here"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, caFile, src string }{
		{"trusted through MAILSCRIPT_CA_FILE", ca, `
			const res = await fetch(env.APP + '/status/200');
			expect(await res.text()).toBe('status 200');`},
		{"refused without it", "", `
			const e = await fetch(env.APP + '/status/200').catch(e => e);
			expect(e.name).toBe('TypeError');
			expect(e.message).toContain("failed: the server's TLS certificate is not signed by a trusted authority");
			expect(e.message).toContain('set MAILSCRIPT_CA_FILE to the CA' + "'" + 's PEM file');`},
		{"a file without certificates", notPEM, `
			const e = await fetch(env.APP + '/status/200').catch(e => e);
			expect(e.name).toBe('TypeError');
			expect(e.message).toContain('MAILSCRIPT_CA_FILE=' + env.MAILSCRIPT_CA_FILE + ' holds no PEM certificate');`},
		{"a missing file", filepath.Join(dir, "missing.pem"), `
			const e = await fetch(env.APP + '/status/200').catch(e => e);
			expect(e.message).toContain('MAILSCRIPT_CA_FILE=' + env.MAILSCRIPT_CA_FILE + ' cannot be read');`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := envWith(map[string]string{"APP": a.URL, "MAILSCRIPT_CA_FILE": tt.caFile})
			jsruntimetest.RequirePassed(t, jsruntimetest.Run(t, "tls.test.js", tt.src, jsruntime.Options{Env: env}))
		})
	}
}

// TestSecrets: a secret reaches the server as its value in a header, a body and a form field,
// while the script and its output see only [secret REF].
func TestSecrets(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	const value = "s3cr3t-Bearer-value"
	vars := map[string]string{"APP": a.URL, "APP_TOKEN": value}
	cache := &secrets.Cache{Resolver: secrets.Resolver{Getenv: envWith(vars), Redactor: &secrets.Redactor{}}}
	install := func(vu bindings.VU, global *goja.Object) error {
		return global.Set("secret", secret.Func(vu, cache.Resolve))
	}
	f := jsruntimetest.Run(t, "secret.test.js", `
		const token = secret('env:APP_TOKEN');
		const headers = new Headers({ Authorization: token });
		console.log('header:', headers.get('authorization'), [...headers]);
		console.log(headers);
		const got = await (await fetch(env.APP + '/echo', { method: 'POST', headers, body: token })).json();
		expect(got.header.authorization === env.APP_TOKEN).toBe(true);
		expect(got.body === env.APP_TOKEN).toBe(true);
		const form = new FormData();
		form.append('password', token);
		console.log('field:', String(form.get('password')));
		const parsed = await (await fetch(env.APP + '/form', { method: 'POST', body: form })).json();
		expect(parsed.fields.password[0] === env.APP_TOKEN).toBe(true);
		expect(() => new Blob([token])).toThrow('a secret cannot go into a Blob');
	`, jsruntime.Options{Env: envWith(vars), Install: install})
	jsruntimetest.RequirePassed(t, f)
	out := f.Tests[0].Output
	if strings.Contains(out, value) {
		t.Errorf("output shows the secret: %q", out)
	}
	for _, want := range []string{"header: [secret env:APP_TOKEN]", "field: [secret env:APP_TOKEN]", "Headers { authorization: '[secret env:APP_TOKEN]' }"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}
