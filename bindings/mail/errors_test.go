package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/providers"
)

// TestCallErrorsCarryTheirFields checks what a script catches from a failed mail call: the
// provider's code and details, a TypeError for a bad option, and a context's end as a code.
func TestCallErrorsCarryTheirFields(t *testing.T) {
	install := func(vu bindings.VU, global *goja.Object) error {
		work := map[string]func(context.Context) (string, error){
			"fails": func(context.Context) (string, error) {
				return "", &providers.Error{Code: providers.Throttled, Provider: "p", Status: 429, ProviderCode: "ApplicationThrottled", Message: "slow down"}
			},
			"bad": func(context.Context) (string, error) {
				return "", &providers.OptionError{Field: "x", Problem: "is wrong"}
			},
			"expires": func(context.Context) (string, error) { return "", context.DeadlineExceeded },
		}
		for name, fn := range work {
			if err := global.Set(name, func(goja.FunctionCall) goja.Value {
				return vu.Runtime().ToValue(async(&mailbox{vu: vu}, fn, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) }))
			}); err != nil {
				return err
			}
		}
		return nil
	}
	f := jsruntimetest.Run(t, "errors.test.js", `
test('provider errors carry their fields', async () => {
  const e = await fails().catch(e => e);
  expect(e).toBeInstanceOf(Error);
  expect([e.code, e.provider, e.status, e.providerCode]).toEqual(['THROTTLED', 'p', 429, 'ApplicationThrottled']);
  expect(e.message).toBe('p: slow down (ApplicationThrottled)');
});
test('option errors are TypeErrors', async () => {
  const e = await bad().catch(e => e);
  expect(e).toBeInstanceOf(TypeError);
  expect(e.message).toContain('option "x": is wrong');
});
test('an expired context is a TIMEOUT', async () => {
  const e = await expires().catch(e => e);
  expect(e.code).toBe('TIMEOUT');
});
`, jsruntime.Options{Install: install})
	jsruntimetest.RequirePassed(t, f)
}

// TestStoppedCallsSayWhy stops a mail call the two ways a run can: the evaluation's time limit
// makes it a TIMEOUT, the caller's cancellation (Ctrl-C, --bail) a CANCELLED. A REPL session
// shows the code, as the call's promise outlives the interrupted line.
func TestStoppedCallsSayWhy(t *testing.T) {
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		cancel  bool
		want    string
	}{
		{"time limit", 200 * time.Millisecond, false, "TIMEOUT"},
		{"Ctrl-C", 0, true, "CANCELLED"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{}, 1)
			vm, err := jsruntime.NewVM(jsruntime.Options{WorkDir: t.TempDir(), Timeout: tt.timeout, Install: func(vu bindings.VU, global *goja.Object) error {
				// started is signalled from the script once code holds the promise, so the
				// cancellation cannot interrupt the assignment itself.
				if err := global.Set("started", func() { started <- struct{}{} }); err != nil {
					return err
				}
				return global.Set("hang", func() *goja.Promise {
					return async(&mailbox{vu: vu}, func(ctx context.Context) (string, error) {
						<-ctx.Done()
						return "", ctx.Err()
					}, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) })
				})
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer vm.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				go func() { <-started; cancel() }()
			}
			if _, err := vm.Eval(ctx, "globalThis.code = hang().catch(e => e.code); started(); code"); err == nil {
				t.Fatal("the line waiting for the call was not stopped")
			}
			v, err := vm.Eval(context.Background(), "code")
			if err != nil || v.String() != tt.want {
				t.Fatalf("err.code = %v (%v), want %s", v, err, tt.want)
			}
		})
	}
}

// TestCredentialsFrom: a refused sign-in or permission on a mailbox connected by a
// mailscript.json connection says where its credentials came from; other failures, and
// mailboxes connected by provider, are left as the provider wrote them.
func TestCredentialsFrom(t *testing.T) {
	t.Parallel()
	auth := &providers.Error{Code: providers.AuthFailed, Provider: "microsoft365", Message: "the client secret was rejected by Microsoft Entra: check MAILSCRIPT_M365_CLIENT_SECRET"}
	other := &providers.Error{Code: providers.Throttled, Message: "slow down"}
	profiled, direct := &mailbox{connection: "emu-bad"}, &mailbox{}
	if got := profiled.credentialsFrom(auth).Error(); !strings.HasSuffix(got, `(the credentials come from the connection "emu-bad" in mailscript.json)`) {
		t.Errorf("profiled AUTH_FAILED: %q", got)
	}
	if !strings.HasSuffix(auth.Message, "CLIENT_SECRET") {
		t.Errorf("the provider's error was changed in place: %q", auth.Message)
	}
	if got := profiled.credentialsFrom(other); got != error(other) {
		t.Errorf("THROTTLED changed: %v", got)
	}
	if got := direct.credentialsFrom(auth); got != error(auth) {
		t.Errorf("a mailbox connected by provider changed: %v", got)
	}
}
