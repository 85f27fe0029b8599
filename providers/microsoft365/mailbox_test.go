package microsoft365

import (
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

func TestListAndRead(t *testing.T) {
	e := startEmulator(t, emulator.Config{})
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	e.insert(t, "Older", "Shop <shop@example.net>", base)
	id := e.insert(t, "Réinitialiser le mot de passe ✓", "Zoë Noël <no-reply@example.com>", base.Add(time.Minute))
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	list, err := mb.List(ctx, providers.Criteria{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != id || list[0].Subject != "Réinitialiser le mot de passe ✓" || list[0].From.Name != "Zoë Noël" || list[0].Folder != "inbox" {
		t.Fatalf("list = %+v", list)
	}
	e.srv.ResetCounts()
	msg, err := mb.Read(ctx, id, providers.ReadOptions{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	if msg.Text != "Hello Réinitialiser le mot de passe ✓\r\n" && msg.Text != "Hello Réinitialiser le mot de passe ✓\n" && msg.Text != "Hello Réinitialiser le mot de passe ✓" {
		t.Errorf("text = %q", msg.Text)
	}
	if n := e.graph().Requests; n != 1 {
		t.Errorf("read after list took %d requests, want 1 (the list told which folder it is)", n)
	}
	if msg.Folder != "inbox" || msg.From.Address != "no-reply@example.com" || len(msg.Raw) == 0 || msg.Headers["subject"] == nil {
		t.Errorf("msg = %+v", msg)
	}
}
