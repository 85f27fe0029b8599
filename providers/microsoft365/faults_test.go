package microsoft365

import (
	"bytes"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

// TestEveryOperationThroughStorm runs each operation while the emulator throttles one request
// or $batch call in five, fails one in ten with 503, and issues two-second tokens: every
// operation must succeed, and the message must arrive exactly once.
func TestEveryOperationThroughStorm(t *testing.T) {
	e := startEmulator(t, emulator.Config{TokenTTL: 2 * time.Second, MailboxConcurrency: mailboxConcurrency, Fail: map[int]float64{429: 0.2, 503: 0.1}})
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	started := time.Now()
	content := []byte("tiny file!")
	if _, err := mb.Send(ctx, providers.Draft{
		To: []providers.Address{{Name: "QA Ünïcode", Address: qaBox}}, Subject: "Stürmisch ✓", Text: "see https://example.com/storm",
		Attachments: []providers.DraftAttachment{{Name: "tiny.txt", ContentType: "text/plain", Content: content}},
	}); err != nil {
		t.Fatal("send:", err)
	}
	msg, err := mb.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "stürmisch"}, Since: started}, providers.WaitOptions{Timeout: time.Minute, Interval: 200 * time.Millisecond})
	if err != nil {
		t.Fatal("waitFor:", err)
	}
	if got, err := msg.Attachments[0].Content(ctx); err != nil || !bytes.Equal(got, content) || len(msg.Links) != 1 {
		t.Fatalf("attachment %q (%v), links %q", got, err, msg.Links)
	}
	list, err := mb.List(ctx, providers.Criteria{From: providers.Matcher{Contains: qaBox}})
	if err != nil || len(list) != 1 || list[0].ID != msg.ID {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if err := mb.MarkRead(ctx, msg.ID, true); err != nil {
		t.Fatal("markRead:", err)
	}
	moved, err := mb.Move(ctx, msg.ID, "archive")
	if err != nil {
		t.Fatal("move:", err)
	}
	folders, err := mb.Folders(ctx)
	if err != nil {
		t.Fatal("folders:", err)
	}
	for _, f := range folders {
		if f.WellKnown == "archive" && f.Total != 1 {
			t.Errorf("archive holds %d messages, want 1", f.Total)
		}
	}
	if _, err := mb.Delete(ctx, moved, providers.DeleteOptions{Permanent: true}); err != nil {
		t.Fatal("delete:", err)
	}
	if n := e.delivered(t, qaBox, "Stürmisch"); n != 0 {
		t.Errorf("%d copies left in the inbox after the move and delete", n)
	}
	if e.graph().SignIn < 2 && time.Since(started) > 2*time.Second {
		t.Errorf("one token served a run of %s: the two-second token was not renewed", time.Since(started))
	}
}
