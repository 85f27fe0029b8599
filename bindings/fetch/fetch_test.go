package fetch_test

import (
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
)

// envWith is a script environment holding only vars.
func envWith(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestRequests(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	tests := []struct{ name, src string }{
		{"GET echo", `
			const res = await fetch(env.APP + '/echo?a=1#frag');
			expect(res.status).toBe(200);
			expect(res.ok).toBe(true);
			expect(res.statusText).toBe('OK');
			expect(res.url).toBe(env.APP + '/echo?a=1');
			expect(res.redirected).toBe(false);
			expect(res.headers.get('Content-Type')).toBe('application/json');
			expect(res.headers.get('x-multi')).toBe('a, b');
			const got = await res.json();
			expect(got.method).toBe('GET');
			expect(got.query).toBe('a=1');
			expect(got.header['user-agent']).toBe('mailscript');
			expect((await fetch(new URL('/echo?b=2', env.APP))).url).toBe(env.APP + '/echo?b=2');
			expect(res.bodyUsed).toBe(true);`},
		{"headers as object, pairs and Headers", `
			for (const headers of [{'X-Token': 'abc', 'X-Two': '2'}, [['X-Token', 'abc'], ['X-Two', '2']], new Headers({'x-token': 'abc', 'x-two': '2'})]) {
				const got = await (await fetch(env.APP + '/echo', { headers })).json();
				expect(got.header['x-token']).toBe('abc');
				expect(got.header['x-two']).toBe('2');
			}`},
		{"methods and string body", `
			for (const method of ['POST', 'put', 'PATCH', 'DELETE']) {
				const got = await (await fetch(env.APP + '/echo', { method, body: 'hello ✓' })).json();
				expect(got.method).toBe(method.toUpperCase());
				expect(got.body).toBe('hello ✓');
				expect(got.header['content-type']).toBe('text/plain;charset=UTF-8');
			}
			const head = await fetch(env.APP + '/echo', { method: 'HEAD' });
			expect(head.status).toBe(200);
			expect(await head.text()).toBe('');`},
		{"bytes bodies", `
			const bytes = new TextEncoder().encode('raw bytes');
			for (const body of [bytes, bytes.buffer, new DataView(bytes.buffer), new Blob([bytes], {type: 'application/x-test'})]) {
				const got = await (await fetch(env.APP + '/echo', { method: 'POST', body })).json();
				expect(got.body).toBe('raw bytes');
			}
			const blob = await (await fetch(env.APP + '/echo', { method: 'POST', body: new Blob(['b'], {type: 'Application/X-Test'}) })).json();
			expect(blob.header['content-type']).toBe('application/x-test');`},
		{"JSON body with a content type", `
			const got = await (await fetch(env.APP + '/echo', { method: 'POST', body: JSON.stringify({a: 1}), headers: {'Content-Type': 'application/json'} })).json();
			expect(JSON.parse(got.body)).toEqual({a: 1});
			expect(got.header['content-type']).toBe('application/json');`},
		{"URLSearchParams body", `
			const got = await (await fetch(env.APP + '/echo', { method: 'POST', body: new URLSearchParams({email: 'qa+1@example.com', ok: 'yes'}) })).json();
			expect(got.body).toBe('email=qa%2B1%40example.com&ok=yes');
			expect(got.header['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');`},
		{"FormData with a file", `
			const form = new FormData();
			form.append('email', 'qa@example.com');
			form.append('avatar', new File([new TextEncoder().encode('PNG…')], 'me.png', {type: 'image/png'}));
			form.append('notes', new Blob(['plain']), 'notes.txt');
			const res = await fetch(env.APP + '/form', { method: 'POST', body: form });
			expect(res.status).toBe(200);
			const got = await res.json();
			expect(got.fields).toEqual({email: ['qa@example.com']});
			expect(got.files.avatar).toEqual({filename: 'me.png', type: 'image/png', content: 'PNG…'});
			expect(got.files.notes).toEqual({filename: 'notes.txt', type: 'application/octet-stream', content: 'plain'});`},
		{"Request objects", `
			const req = new Request(env.APP + '/echo', { method: 'POST', body: 'from a Request', headers: {'X-A': '1'} });
			expect(req.method).toBe('POST');
			expect(await req.clone().text()).toBe('from a Request');
			const got = await (await fetch(req)).json();
			expect(got.body).toBe('from a Request');
			expect(got.header['x-a']).toBe('1');
			const put = await (await fetch(req, { method: 'PUT' })).json();
			expect(put.method).toBe('PUT');`},
		{"HTTP errors resolve", `
			const res = await fetch(env.APP + '/status/503');
			expect(res.ok).toBe(false);
			expect(res.status).toBe(503);
			expect(res.statusText).toBe('Service Unavailable');
			expect(await res.text()).toBe('status 503');`},
		{"bodies read once, clone reads twice", `
			const res = await fetch(env.APP + '/status/201');
			const copy = res.clone();
			expect(await res.text()).toBe('status 201');
			expect(new TextDecoder().decode(await copy.bytes())).toBe('status 201');
			const again = await res.text().catch(e => e);
			expect(again.name).toBe('TypeError');
			expect(again.message).toContain('already read');
			const bad = await (await fetch(env.APP + '/status/200')).json().catch(e => e);
			expect(bad.name).toBe('SyntaxError');
			expect(bad.message).toContain('it starts with "status 200"');`},
		{"globals built on first use can be replaced", `
			globalThis.setTimeout = () => { throw new Error('replaced setTimeout'); };
			const s = AbortSignal.timeout(0);
			await new Promise(resolve => s.addEventListener('abort', resolve));
			expect(s.reason.name).toBe('TimeoutError');
			const original = fetch;
			globalThis.fetch = () => 'mine';
			expect(fetch()).toBe('mine');
			expect(original).not.toBe(fetch);`},
		{"Response built by the script", `
			const r = Response.json({a: 1}, {status: 201});
			expect(r.status).toBe(201);
			expect(r.headers.get('content-type')).toBe('application/json');
			expect(await r.json()).toEqual({a: 1});
			expect(await new Response('x').text()).toBe('x');
			expect(new Uint8Array(await new Response(new Uint8Array([1, 2])).arrayBuffer())).toEqual(new Uint8Array([1, 2]));`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := jsruntimetest.Run(t, "fetch.test.js", tt.src, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL})})
			jsruntimetest.RequirePassed(t, f)
		})
	}
}
