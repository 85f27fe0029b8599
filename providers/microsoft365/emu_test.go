package microsoft365

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/emulatortest"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// The tests' mailboxes, added to the emulator's seeded tenant empty so that counts are exact.
const (
	qaBox  = "qa@contoso.com"
	opsBox = "ops@contoso.com"
)

// emu is the product emulator with two empty mailboxes, the Graph face every test talks to.
type emu struct {
	srv *emulator.Server
	env map[string]string
	// shared is the test's run: the mailboxes it connects share tokens and slots.
	shared *providers.Shared
}

func startEmulator(t testing.TB, cfg emulator.Config) *emu {
	t.Helper()
	srv := emulatortest.Start(t, cfg)
	e := &emu{srv: srv, env: srv.Env(), shared: providers.NewShared(nil)}
	tenant := e.env[EnvTenantID]
	for _, mb := range []store.Mailbox{
		{Address: qaBox, DisplayName: "QA Inbox", Kind: store.Microsoft, TenantID: tenant},
		{Address: opsBox, DisplayName: "Opérations Zoë", Kind: store.Microsoft, TenantID: tenant},
	} {
		if _, err := srv.Store().AddMailbox(mb); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// connect opens qa@contoso.com with the emulator's credentials; extra are KEY, VALUE pairs
// that override the environment.
func (e *emu) connect(t testing.TB, opts providers.Options, extra ...string) *mailbox {
	t.Helper()
	vars := map[string]string{EnvMailbox: qaBox}
	for k, v := range e.env {
		if _, set := vars[k]; !set {
			vars[k] = v
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	mb, err := Connect(opts, func(k string) string { return vars[k] }, e.shared)
	if err != nil {
		t.Fatal(err)
	}
	return mb.(*mailbox)
}

// graph returns the Graph face's counters since the last reset.
func (e *emu) graph() emulator.Totals { return e.srv.Totals()["graph"] }

var seedMu sync.Mutex

// insert delivers a plain text message into qa@contoso.com's inbox.
func (e *emu) insert(t testing.TB, subject, from string, at time.Time) string {
	t.Helper()
	seedMu.Lock()
	defer seedMu.Unlock()
	raw := "From: " + from + "\r\nTo: QA Inbox <qa@contoso.com>\r\nSubject: " + subject + "\r\nDate: " + at.Format(time.RFC1123Z) +
		"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello " + subject + "\r\n"
	m, err := e.srv.Store().Insert(qaBox, []byte(raw), store.InsertOptions{ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// delivered counts the messages in a mailbox whose subject contains s.
func (e *emu) delivered(t testing.TB, mailbox, s string) int {
	t.Helper()
	ms, err := e.srv.Store().List(mailbox, store.Query{Folder: "inbox"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if strings.Contains(m.Subject, s) {
			n++
		}
	}
	return n
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
