package store

import (
	"errors"
	"slices"
	"testing"
)

func TestGmailTrashAndLabels(t *testing.T) {
	t.Parallel()
	s := New(Options{IDSeed: "gmail-support"})
	if _, err := s.AddMailbox(Mailbox{Address: "qa@example.com", Kind: Google}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMailbox(Mailbox{Address: "ops@contoso.com", Kind: Microsoft}); err != nil {
		t.Fatal(err)
	}
	lbl, err := s.CreateFolder("qa@example.com", "Receipts", "")
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte("From: a@b.c\r\nTo: qa@example.com\r\nSubject: x\r\n\r\nbody\r\n")
	m, err := s.Insert("qa@example.com", raw, InsertOptions{Folder: SentItems, Labels: []string{Inbox, lbl.ID}})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := s.GmailTrash("qa@example.com", m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tr.FolderID != "TRASH" || !slices.Equal(tr.Labels, []string{"SENT", lbl.ID}) {
		t.Errorf("trashed: folder %s labels %v", tr.FolderID, tr.Labels)
	}
	un, err := s.Update("qa@example.com", m.ID, Change{RemoveLabels: []string{DeletedItems}})
	if err != nil || un.FolderID != "SENT" || !slices.Equal(un.Labels, []string{lbl.ID}) {
		t.Errorf("untrashed: %+v %v", un, err)
	}
	if _, err := s.GmailTrash("qa@example.com", "18ffffffffffffff"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}

	for i := 0; i < 2; i++ { // idempotent
		if err := s.EnsureGmailLabel("qa@example.com", "IMPORTANT"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Update("qa@example.com", m.ID, Change{AddLabels: []string{"IMPORTANT"}}); err != nil {
		t.Errorf("label IMPORTANT after EnsureGmailLabel: %v", err)
	}
	for _, tc := range []struct{ mailbox, id string }{{"qa@example.com", "Label_9"}, {"ops@contoso.com", "IMPORTANT"}, {"qa@example.com", ""}} {
		if err := s.EnsureGmailLabel(tc.mailbox, tc.id); !errors.Is(err, ErrInvalid) {
			t.Errorf("EnsureGmailLabel(%s, %q) = %v, want ErrInvalid", tc.mailbox, tc.id, err)
		}
	}
}
