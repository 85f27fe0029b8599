package fetch_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/jsruntime/report"
)

func TestRedirectsAndCookies(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	tests := []struct{ name, src string }{
		{"follow the mail's link to the welcome page", `
			const res = await fetch(env.APP + '/verify?token=t0k3n&user=ann');
			expect(res.status).toBe(200);
			expect(res.redirected).toBe(true);
			expect(res.url).toBe(env.APP + '/welcome');
			expect(await res.text()).toBe('Welcome, ann');
			expect(await (await fetch(env.APP + '/welcome')).text()).toBe('Welcome, ann');
			expect((await fetch(env.APP + '/welcome', { credentials: 'omit' })).status).toBe(401);`},
		{"credentials omit keeps no cookie", `
			const res = await fetch(env.APP + '/verify?token=t0k3n&user=bob', { credentials: 'omit' });
			expect(res.status).toBe(401);
			expect(res.url).toBe(env.APP + '/welcome');
			expect((await fetch(env.APP + '/welcome')).status).toBe(401);`},
		{"manual gives the 3xx", `
			const res = await fetch(env.APP + '/redirect', { redirect: 'manual' });
			expect(res.status).toBe(302);
			expect(res.redirected).toBe(false);
			expect(res.headers.get('location')).toBe('/echo?from=redirect');
			expect(res.url).toBe(env.APP + '/redirect');`},
		{"manual keeps the cookie a 3xx sets", `
			const res = await fetch(env.APP + '/verify?token=t0k3n&user=cy', { redirect: 'manual' });
			expect(res.status).toBe(303);
			expect(res.headers.getSetCookie()[0]).toContain('session=s-cy');
			expect(await (await fetch(env.APP + '/welcome')).text()).toBe('Welcome, cy');`},
		{"error rejects", `
			const e = await fetch(env.APP + '/redirect', { redirect: 'error' }).catch(e => e);
			expect(e).toBeInstanceOf(TypeError);
			expect(e.message).toBe("fetch " + env.APP + "/redirect failed: redirected to " + env.APP + "/echo?from=redirect, and the request has redirect: 'error'; use redirect: 'manual' to get the 3xx response, or 'follow' to follow it");`},
		{"a redirect loop stops", `
			const e = await fetch(env.APP + '/loop').catch(e => e);
			expect(e.name).toBe('TypeError');
			expect(e.message).toContain('more than 20 redirects');`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := jsruntimetest.Run(t, "cookies.test.js", tt.src, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL})})
			jsruntimetest.RequirePassed(t, f)
		})
	}
}

// TestJarPerTest: a session cookie from one test is gone in the next, and the hooks around a
// test share its jar.
func TestJarPerTest(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	f := jsruntimetest.Run(t, "jar.test.js", `
		const signIn = user => fetch(env.APP + '/verify?token=t0k3n&user=' + user);
		const welcome = async () => (await fetch(env.APP + '/welcome')).status;
		beforeAll(async () => { await signIn('all'); });
		describe('signed in by beforeEach', () => {
			beforeEach(async () => { await signIn('each'); });
			afterEach(async () => { expect(await welcome()).toBe(200); });
			test('sees the session', async () => {
				expect(await (await fetch(env.APP + '/welcome')).text()).toBe('Welcome, each');
			});
		});
		test('signs in', async () => {
			expect(await welcome()).toBe(401);
			await signIn('dee');
			expect(await welcome()).toBe(200);
		});
		test('starts without the cookie', async () => {
			expect(await welcome()).toBe(401);
		});
	`, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL})})
	jsruntimetest.RequirePassed(t, f)
	if len(f.Tests) != 3 {
		t.Fatalf("ran %d tests, want 3", len(f.Tests))
	}
}

// TestTimeoutCancelsRequest: a test that runs out of time stops its request; the server sees
// the client go away.
func TestTimeoutCancelsRequest(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	f := jsruntimetest.Run(t, "timeout.test.js", `
		test('hangs', async () => { await fetch(env.APP + '/slow'); });
	`, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL}), Timeout: 2 * time.Second})
	if len(f.Tests) != 1 || f.Tests[0].Status != report.Failed {
		t.Fatalf("tests = %+v, want one failed test", f.Tests)
	}
	if got := f.Tests[0].Error.Message; !contains(got, "timed out") && !contains(got, "timeout") {
		t.Errorf("error = %q, want a timeout", got)
	}
	select {
	case <-a.started:
	default:
		t.Fatalf("the request never reached the server; the test failed with %q", f.Tests[0].Error.Message)
	}
	waitCancelled(t, a, "/slow")
}

// TestInterruptCancelsRequest: stopping the run (Ctrl-C) while a request is in flight cancels
// it; the server sees the client go away.
func TestInterruptCancelsRequest(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	path := filepath.Join(t.TempDir(), "interrupt.test.js")
	if err := os.WriteFile(path, []byte("test('hangs', async () => { await fetch(env.APP + '/slow'); });\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan report.File)
	go func() {
		done <- jsruntime.RunFile(ctx, path, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL})}, nil)
	}()
	<-a.started
	cancel()
	waitCancelled(t, a, "/slow")
	if f := <-done; len(f.Tests) != 1 || f.Tests[0].Status == report.Passed {
		t.Errorf("tests = %+v, want one that did not pass", f.Tests)
	}
}

// TestUnawaitedFetchFailsItsTest: a request the test never awaits is still running when the
// test ends; rather than being cancelled unseen, it fails the test at the line that started
// it. An awaited one passes.
func TestUnawaitedFetchFailsItsTest(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	f := jsruntimetest.Run(t, "unawaited.test.js", `
		test('forgets to await', () => {
		  fetch(env.APP + '/slow');
		});
		test('awaits', async () => {
		  const res = await fetch(env.APP + '/status/200');
		  expect(res.ok).toBe(true);
		});
	`, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL}), Timeout: 10 * time.Second})
	if len(f.Tests) != 2 || f.Tests[0].Status != report.Failed || f.Tests[1].Status != report.Passed {
		t.Fatalf("tests = %+v, want the first failed and the second passed", f.Tests)
	}
	e := f.Tests[0].Error
	if !contains(e.Message, "a mail call or fetch started here was not awaited") || !contains(e.Location, "unawaited.test.js:3:") {
		t.Errorf("error = %q at %q, want the not-awaited message at line 3", e.Message, e.Location)
	}
}
