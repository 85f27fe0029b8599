package store

import (
	"testing"
)

// TestSubscribeEveryPath checks that each way mail enters, changes and leaves the store
// reaches a subscriber, in commit order.
func TestSubscribeEveryPath(t *testing.T) {
	s := New(Options{IDSeed: "events"})
	ms, _ := s.AddMailbox(Mailbox{Address: "a@contoso.com", Kind: Microsoft})
	gm, _ := s.AddMailbox(Mailbox{Address: "b@example.com", Kind: Google})
	sub := s.Subscribe(0)
	defer sub.Close()
	next := func(kind, mailbox string) Event {
		t.Helper()
		select {
		case e := <-sub.C:
			if e.Kind != kind || e.MailboxID != mailbox {
				t.Fatalf("event %+v, want kind %s mailbox %q", e, kind, mailbox)
			}
			return e
		default:
			t.Fatalf("no event, want %s", kind)
		}
		return Event{}
	}
	raw := []byte("From: x@example.net\r\nTo: a@contoso.com, nobody@elsewhere.test\r\nSubject: hi\r\n\r\nbody\r\n")

	m, err := s.Insert(ms.ID, raw, InsertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e := next(MessageAdded, ms.ID); e.MessageID != m.ID {
		t.Errorf("MessageAdded names %q, want %q", e.MessageID, m.ID)
	}
	read := true
	if _, err := s.Update(ms.ID, m.ID, Change{IsRead: &read}); err != nil {
		t.Fatal(err)
	}
	next(LabelsRemoved, ms.ID)
	moved, _ := s.Move(ms.ID, m.ID, DeletedItems)
	next(MessageDeleted, ms.ID)
	next(MessageAdded, ms.ID)
	_ = s.Delete(ms.ID, moved.ID)
	next(MessageDeleted, ms.ID)

	if _, err := s.Receive(raw, Envelope{From: "x@example.net", To: []string{"b@example.com", "nobody@elsewhere.test"}}, nil); err != nil {
		t.Fatal(err)
	}
	next(MessageAdded, gm.ID)
	sink := next(SinkReceived, "")
	if _, err := s.Deliver(raw, gm.ID, true); err != nil {
		t.Fatal(err)
	}
	next(MessageAdded, gm.ID) // Sent copy
	next(MessageAdded, ms.ID) // a@contoso.com
	next(SinkReceived, "")
	if err := s.DeleteSinkMessage(sink.MessageID); err != nil {
		t.Fatal(err)
	}
	next(SinkDeleted, "")
	if len(s.Sink()) != 1 {
		t.Errorf("sink holds %d messages after deleting one of two", len(s.Sink()))
	}
	if err := s.DeleteSinkMessage(sink.MessageID); err == nil {
		t.Error("deleting a deleted sink message succeeded")
	}
	s.ClearSink()
	next(SinkCleared, "")
	_, _ = s.CreateFolder(ms.ID, "Receipts", "")
	next(FolderAdded, ms.ID)
	s.Reset()
	next(StoreReset, "")
	select {
	case e := <-sub.C:
		t.Errorf("unexpected event %+v", e)
	default:
	}
}

// TestSlowSubscriberNeverBlocks fills a subscription that nobody reads: the store goes on,
// the subscription reports what it missed, and Close ends it.
func TestSlowSubscriberNeverBlocks(t *testing.T) {
	s := New(Options{IDSeed: "slow"})
	mb, _ := s.AddMailbox(Mailbox{Address: "a@contoso.com", Kind: Microsoft})
	sub := s.Subscribe(2)
	for range 10 {
		if _, err := s.Insert(mb.ID, []byte("Subject: x\r\n\r\nx"), InsertOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if len(sub.C) != 2 {
		t.Errorf("buffered %d events, want 2", len(sub.C))
	}
	if !sub.Missed() {
		t.Error("Missed() = false after 8 dropped events")
	}
	if sub.Missed() {
		t.Error("Missed() stays true after it was read")
	}
	sub.Close()
	sub.Close()
	n := 0
	for range sub.C {
		n++
	}
	if n != 2 {
		t.Errorf("drained %d events after Close, want 2", n)
	}
	if _, err := s.Insert(mb.ID, []byte("Subject: y\r\n\r\ny"), InsertOptions{}); err != nil {
		t.Fatalf("insert after Close: %v", err)
	}
}
