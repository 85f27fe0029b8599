package microsoft365

import (
	"reflect"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// TestOneMessageModel: list, waitFor and read decode Graph's JSON into one model and map it
// with one function, so the same message gives the same summary through each, names, cc,
// preview and folder included, on a connection that has never listed its folders.
func TestOneMessageModel(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{})
	raw := "From: \"Zoë Noël\" <zoe@example.net>\r\nTo: QA Inbox <qa@contoso.com>, ops@contoso.com\r\nCc: \"Cc Person\" <cc@example.org>\r\n" +
		"Subject: One model ✓\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello <b>there</b></p>\r\n"
	ctx := ctxT(t)
	waiter, reader, lister := e.connect(t, nil), e.connect(t, nil), e.connect(t, nil)
	go func() {
		time.Sleep(300 * time.Millisecond)
		seedMu.Lock()
		defer seedMu.Unlock()
		if _, err := e.srv.Store().Insert(qaBox, []byte(raw), store.InsertOptions{}); err != nil {
			t.Error(err)
		}
	}()
	waited, err := waiter.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "One model"}}, providers.WaitOptions{Interval: 100 * time.Millisecond, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	listed, err := lister.List(ctx, providers.Criteria{Subject: providers.Matcher{Contains: "One model"}})
	if err != nil || len(listed) != 1 {
		t.Fatalf("list: %v, %v", listed, err)
	}
	read, err := reader.Read(ctx, listed[0].ID, providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(listed[0], read.Summary) || !reflect.DeepEqual(listed[0], waited.Summary) {
		t.Errorf("the same message summarised three ways:\nlist %+v\nread %+v\nwait %+v", listed[0], read.Summary, waited.Summary)
	}
	s := listed[0]
	if s.From != (providers.Address{Name: "Zoë Noël", Address: "zoe@example.net"}) || len(s.To) != 2 || s.To[1].Name != "" || len(s.Recipients) != 3 ||
		s.Folder != "inbox" || s.Preview == "" || s.IsRead || s.ReceivedAt.IsZero() {
		t.Errorf("summary %+v", s)
	}
}
