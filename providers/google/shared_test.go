package google

import (
	"testing"

	"github.com/mailscript/mailscript/emulator/gmail"

	"github.com/mailscript/mailscript/providers"
)

// TestSharedIsPerRun: the connections of one run (one providers.Shared) to a Gmail user share
// its token, its concurrency slots and its quota bucket, as parallel test files on one mailbox
// must; another run in the same process shares none of them and signs in for itself.
func TestSharedIsPerRun(t *testing.T) {
	t.Parallel()
	e := newEmu(t, emuOptions{})
	ctx := t.Context()
	list := func(mb *mailbox) {
		t.Helper()
		if _, err := mb.List(ctx, providers.Criteria{}); err != nil {
			t.Fatal(err)
		}
	}
	auth := func(mb *mailbox) *authTransport { return mb.client.Transport.(*authTransport) }
	signIns := 0
	tokenRequests := func() int {
		for _, r := range e.log() {
			if r == "POST "+gmail.TokenPath {
				signIns++
			}
		}
		return signIns
	}

	a, b := e.connect(qaUser, nil), e.connect(qaUser, nil)
	list(a)
	list(b)
	if n := tokenRequests(); n != 1 {
		t.Errorf("two connections of one run signed in %d times, want once: the user's token is the run's", n)
	}
	if auth(a).slots != auth(b).slots || auth(a).quota != auth(b).quota || a.tokens != b.tokens {
		t.Error("two connections to one user in one run have separate slots, quota or token: together they would exceed Gmail's limits")
	}

	mb, err := Connect(providers.Options{"credentials": string(e.key), "user": qaUser, "gmailUrl": e.srv.URL}, nil, providers.NewShared(nil))
	if err != nil {
		t.Fatal(err)
	}
	c := mb.(*mailbox)
	list(c)
	if n := tokenRequests(); n != 2 {
		t.Errorf("after a second run the emulator saw %d token requests, want 2: a run fetches its own token", n)
	}
	if auth(c).slots == auth(a).slots || auth(c).quota == auth(a).quota || c.tokens == a.tokens {
		t.Error("a second run shares the first run's slots, quota or token")
	}
}
