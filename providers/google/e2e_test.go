package google

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/emulatortest"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// TestEmulatorSeed connects the way `mailscript run --emulator` does: options from the
// emulator's MAILSCRIPT_* environment only.
func TestEmulatorSeed(t *testing.T) {
	srv := emulatortest.New(t)
	env := srv.Env()
	mb, err := Connect(providers.Options{}, func(k string) string { return env[k] }, providers.NewShared(nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	all, err := mb.List(ctx, providers.Criteria{})
	if err != nil || len(all) == 0 {
		t.Fatalf("list = %v, %v", all, err)
	}
	subjects := map[string]*providers.Message{}
	for _, s := range all {
		msg, err := mb.Read(ctx, s.ID, providers.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		subjects[msg.Subject] = msg
	}
	reset := subjects["Reset your password"]
	if reset == nil || reset.From.Address != "no-reply@example.com" || len(reset.Links) == 0 {
		t.Errorf("seeded reset mail = %+v", reset)
	}
	decoded := false
	for _, msg := range subjects {
		decoded = decoded || msg.From.Name == "Boutique Hélène"
	}
	if !decoded {
		t.Errorf("no ISO-8859-1 sender decoded among %d seeded messages", len(subjects))
	}
}

// TestEmulatorFaults sends and reads under the emulator's own faults (429 storms from a
// mailbox concurrency limit of 2, random 429/500/503, dropped connections, 2-second tokens)
// and checks that every message arrives exactly once.
func TestEmulatorFaults(t *testing.T) {
	fastRetries(t)
	srv := emulatortest.Start(t, emulator.Config{TokenTTL: 2 * time.Second})
	env := srv.Env()
	connect := func(user string) providers.Mailbox {
		mb, err := Connect(providers.Options{"user": user}, func(k string) string { return env[k] }, providers.NewShared(nil))
		if err != nil {
			t.Fatal(err)
		}
		return mb
	}
	qa, sam := connect("qa@example.com"), connect("sam@example.com")
	if err := srv.SetFaults(emulator.Faults{GmailConcurrency: 2, Fail: map[int]float64{429: 0.1, 500: 0.05, 503: 0.05}, Drop: 0.05}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = qa.Send(ctx, providers.Draft{To: []providers.Address{{Address: "sam@example.com"}},
				Subject: fmt.Sprintf("fault run %02d", i), Text: "x"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2 * time.Second) // outlive the first token
	got, err := sam.List(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "fault run"}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if _, err := sam.Read(ctx, s.ID, providers.ReadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.SetFaults(emulator.Faults{}); err != nil {
		t.Fatal(err)
	}
	stored, err := srv.Store().List("sam@example.com", store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	copies := map[string]int{}
	for _, m := range stored {
		copies[m.Header("Subject")]++
	}
	for i := range n {
		if c := copies[fmt.Sprintf("fault run %02d", i)]; c != 1 {
			t.Errorf("message %d delivered %d times, want exactly once", i, c)
		}
	}
	if len(got) != n {
		t.Errorf("listed %d messages under faults, want %d", len(got), n)
	}
}
