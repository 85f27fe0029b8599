package store

import (
	"crypto/rsa"
	"errors"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := New(Options{IDSeed: "test", Now: func() time.Time { clock = clock.Add(time.Second); return clock }})
	tn, err := s.AddTenant(Tenant{Domains: []string{"contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, mb := range []Mailbox{
		{Address: "ana@contoso.com", Kind: Microsoft, TenantID: tn.ID},
		{Address: "ben@contoso.com", Kind: Microsoft, TenantID: tn.ID},
		{Address: "qa@example.com", Kind: Google},
	} {
		if _, err := s.AddMailbox(mb); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

const simple = "From: Ana <ana@contoso.com>\r\nTo: qa@example.com, Ben <BEN@contoso.com>\r\nBcc: secret@elsewhere.net\r\nSubject: hi\r\n\r\nhello\r\n"

func TestIDShapes(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	res, err := s.Deliver([]byte(simple), "ana@contoso.com", true)
	if err != nil {
		t.Fatal(err)
	}
	graph := regexp.MustCompile(`^AAMkA[A-Za-z0-9_-]{94}=$`)
	if !graph.MatchString(res.Sent.ID) {
		t.Errorf("Graph id %q does not look like an Exchange id", res.Sent.ID)
	}
	g, _ := s.List("qa@example.com", Query{})
	if len(g) != 1 || !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(g[0].ID) || g[0].ThreadID != g[0].ID {
		t.Fatalf("Gmail message = %+v", g)
	}
	if g[0].FolderID != "INBOX" {
		t.Errorf("Gmail folder = %q, want INBOX", g[0].FolderID)
	}
	mb, _ := s.Mailbox("ana@contoso.com")
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(mb.ID) {
		t.Errorf("mailbox id %q is not a GUID", mb.ID)
	}
	// Same seed, same operations: same ids.
	s2 := newTestStore(t)
	res2, _ := s2.Deliver([]byte(simple), "ana@contoso.com", true)
	if res2.Sent.ID != res.Sent.ID {
		t.Error("ids are not deterministic for a given seed")
	}
}

func TestDeliver(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	res, err := s.Deliver([]byte(simple), "ana@contoso.com", true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Delivered, []string{"qa@example.com", "ben@contoso.com"}) || !slices.Equal(res.Sunk, []string{"secret@elsewhere.net"}) {
		t.Errorf("delivered %v sunk %v", res.Delivered, res.Sunk)
	}
	if !strings.HasPrefix(res.MessageID, "<") || res.Sent.Header("Bcc") == "" || !res.Sent.IsRead {
		t.Errorf("sent copy: message-id %q bcc %q read %v", res.MessageID, res.Sent.Header("Bcc"), res.Sent.IsRead)
	}
	inbox, _ := s.List("ben@contoso.com", Query{Folder: Inbox})
	if len(inbox) != 1 || inbox[0].Header("Bcc") != "" || inbox[0].MessageID != res.MessageID || inbox[0].IsRead {
		t.Fatalf("ben's inbox = %+v", inbox)
	}
	if strings.Contains(string(inbox[0].Raw), "secret@") {
		t.Error("the Bcc address leaked into a recipient's copy")
	}
	sink := s.Sink()
	if len(sink) != 1 || sink[0].Subject != "hi" || sink[0].Recipients[0] != "secret@elsewhere.net" {
		t.Errorf("sink = %+v", sink)
	}
	if _, err := s.Deliver([]byte("Subject: x\r\n\r\nbody"), "ana@contoso.com", false); !errors.Is(err, ErrInvalid) {
		t.Errorf("no recipients: err = %v, want ErrInvalid", err)
	}
	// A reader keeps a malformed entry as text; mail is not sent to it (nor to the rest).
	if _, err := s.Deliver([]byte("To: qa@example.com, not an address\r\nSubject: x\r\n\r\nbody"), "ana@contoso.com", false); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "Invalid To header") {
		t.Errorf("malformed To: err = %v, want ErrInvalid: Invalid To header", err)
	}
	if _, err := s.Deliver([]byte(simple), "nobody@contoso.com", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown sender: err = %v, want ErrNotFound", err)
	}
}

func TestUpdateHistoryAndMove(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	start, _ := s.HistoryID("qa@example.com")
	m, err := s.Insert("qa@example.com", []byte(simple), InsertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	label, _ := s.CreateFolder("qa@example.com", "Receipts", "")
	read := true
	m2, err := s.Update("qa@example.com", m.ID, Change{IsRead: &read, AddLabels: []string{label.ID}, RemoveLabels: []string{"INBOX"}})
	if err != nil {
		t.Fatal(err)
	}
	if m2.FolderID != "ARCHIVE" || !slices.Equal(m2.Labels, []string{"Label_1"}) || m.IsRead {
		t.Errorf("after modify: folder %q labels %v (old snapshot read=%v)", m2.FolderID, m2.Labels, m.IsRead)
	}
	recs, cur, err := s.History("qa@example.com", start)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range recs {
		kinds = append(kinds, r.Kind+":"+strings.Join(r.Labels, ","))
	}
	want := []string{"messageAdded:INBOX,UNREAD", "labelsRemoved:INBOX,UNREAD", "labelsAdded:ARCHIVE,Label_1"}
	if !slices.Equal(kinds, want) || cur != m2.HistoryID {
		t.Errorf("history = %v (current %d, message %d), want %v", kinds, cur, m2.HistoryID, want)
	}
	// Microsoft move: new id, old one gone.
	res, _ := s.Deliver([]byte(simple), "ana@contoso.com", false)
	_ = res
	inbox, _ := s.List("ben@contoso.com", Query{Folder: Inbox})
	moved, err := s.Move("ben@contoso.com", inbox[0].ID, DeletedItems)
	if err != nil {
		t.Fatal(err)
	}
	if moved.ID == inbox[0].ID {
		t.Error("Graph move kept the id")
	}
	if _, err := s.Get("ben@contoso.com", inbox[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("old id after move: err = %v", err)
	}
	if del, _ := s.List("ben@contoso.com", Query{Folder: "DeletedItems"}); len(del) != 1 {
		t.Errorf("deleted items has %d messages", len(del))
	}
}

func TestHistoryExpires(t *testing.T) {
	t.Parallel()
	s := New(Options{IDSeed: "h", HistoryLimit: 3})
	if _, err := s.AddMailbox(Mailbox{Address: "a@example.com", Kind: Google}); err != nil {
		t.Fatal(err)
	}
	start, _ := s.HistoryID("a@example.com")
	for i := 0; i < 5; i++ {
		if _, err := s.Insert("a@example.com", []byte(simple), InsertOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.History("a@example.com", start); !errors.Is(err, ErrHistoryExpired) {
		t.Errorf("err = %v, want ErrHistoryExpired", err)
	}
	recs, cur, err := s.History("a@example.com", start+2)
	if err != nil || len(recs) != 3 || recs[2].ID != cur {
		t.Errorf("recs %v cur %d err %v", recs, cur, err)
	}
}

func TestReplaceRawKeepsAttachmentIDs(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	att := Attachment{Name: "a.txt", ContentType: "text/plain", Data: []byte("x")}
	raw1, _ := Compose(Outgoing{Subject: "draft", Text: "v1", Attachments: []Attachment{att}})
	m, err := s.Insert("ana@contoso.com", raw1, InsertOptions{Folder: Drafts, IsRead: true})
	if err != nil {
		t.Fatal(err)
	}
	raw2, _ := Compose(Outgoing{Subject: "draft 2", Text: "v2", Attachments: []Attachment{att, {Name: "b.txt", Data: []byte("yy")}}})
	m2, err := s.ReplaceRaw("ana@contoso.com", m.ID, raw2)
	if err != nil {
		t.Fatal(err)
	}
	if m2.ID != m.ID || m2.Attachments[0].ID != m.Attachments[0].ID || m2.Attachments[1].ID == m.Attachments[0].ID || m2.Subject != "draft 2" {
		t.Errorf("replace: %+v", m2.Attachments)
	}
	if got, err := s.Attachment("ana@contoso.com", m.ID, m.Attachments[0].ID); err != nil || string(got.Data) != "x" {
		t.Errorf("attachment by old id: %v %v", got, err)
	}
	if m2.ChangeKey == m.ChangeKey {
		t.Error("change key did not change")
	}
}

func TestIdentitiesAndTokens(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	tn, ok := s.Tenant("CONTOSO.com")
	if !ok {
		t.Fatal("tenant by domain not found")
	}
	app, err := s.AddApp(App{TenantID: tn.ID, Secrets: []string{"s3cret"}, Permissions: []string{"Mail.Read"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := s.App(strings.ToUpper(app.ClientID)); !ok || got.TenantID != tn.ID {
		t.Errorf("App lookup = %+v %v", got, ok)
	}
	if _, err := s.AddApp(App{TenantID: "nope"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("app in unknown tenant: err = %v", err)
	}
	sa, err := s.AddServiceAccount(ServiceAccount{ClientEmail: "sa@p.iam.gserviceaccount.com", PublicKey: &rsa.PublicKey{N: big.NewInt(3), E: 65537}})
	if err != nil || !regexp.MustCompile(`^[0-9]{21}$`).MatchString(sa.ClientID) {
		t.Errorf("service account client id %q (err %v), want 21 digits", sa.ClientID, err)
	}
	if got, ok := s.ServiceAccount(sa.ClientID); !ok || got.ClientEmail != sa.ClientEmail {
		t.Errorf("ServiceAccount by client id = %+v %v", got, ok)
	}
	tok := s.IssueToken(Token{Kind: Microsoft, TenantID: tn.ID, ClientID: app.ClientID}, time.Hour)
	got, ok := s.LookupToken(tok.Value)
	if !ok || got.ClientID != app.ClientID || !got.ExpiresAt.After(s.Now()) {
		t.Errorf("token lookup = %+v %v", got, ok)
	}
	s.Reset()
	if _, ok := s.LookupToken(tok.Value); ok {
		t.Error("Reset kept a token")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				res, err := s.Deliver([]byte(simple), "ana@contoso.com", true)
				if err != nil {
					t.Error(err)
					return
				}
				read := true
				if _, err := s.Update("ana@contoso.com", res.Sent.ID, Change{IsRead: &read}); err != nil {
					t.Error(err)
				}
				if _, err := s.List("qa@example.com", Query{Match: func(m *Message) bool { return !m.IsRead }}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if got, _ := s.List("ben@contoso.com", Query{}); len(got) != 400 {
		t.Errorf("ben has %d messages, want 400", len(got))
	}
}
