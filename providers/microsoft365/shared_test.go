package microsoft365

import (
	"testing"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

// TestSharedIsPerRun: the mailboxes of one run (one providers.Shared) share the app's token and
// a mailbox's concurrency slots, as parallel test files on one mailbox must; another run in the
// same process shares neither and signs in for itself.
func TestSharedIsPerRun(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{})
	ctx := ctxT(t)
	list := func(mb *mailbox) {
		t.Helper()
		if _, err := mb.List(ctx, providers.Criteria{}); err != nil {
			t.Fatal(err)
		}
	}
	signIns := func() int64 { return e.srv.Totals()["graph"].SignIn }
	slotsOf := func(mb *mailbox) chan struct{} { return mb.http.Transport.(*transport).slots }

	a, b := e.connect(t, nil), e.connect(t, nil)
	ops := e.connect(t, nil, EnvMailbox, opsBox)
	list(a)
	list(b)
	list(ops)
	if n := signIns(); n != 1 {
		t.Errorf("three mailboxes of one run signed in %d times, want once: the app's token is the run's", n)
	}
	if slotsOf(a) != slotsOf(b) {
		t.Error("two connections to one mailbox in one run have separate concurrency slots: together they would exceed Graph's 4")
	}
	if slotsOf(a) == slotsOf(ops) {
		t.Error("two mailboxes share one mailbox's concurrency slots")
	}

	other := *e
	other.shared = providers.NewShared(nil)
	c := other.connect(t, nil)
	list(c)
	if n := signIns(); n != 2 {
		t.Errorf("after a second run the emulator saw %d sign-ins, want 2: a run fetches its own token", n)
	}
	if slotsOf(c) == slotsOf(a) {
		t.Error("a second run shares the first run's concurrency slots")
	}
}
