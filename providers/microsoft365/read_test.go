package microsoft365

import (
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// newsletter is multipart/alternative text and HTML, with an inline logo (multipart/related)
// when inline is set, and a PDF attached.
func newsletter(inline bool) string {
	htmlPart := "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		"<html><head><style>p{color:red}</style></head><body><p>Your code is <b>123456</b></p>" +
		"<p><a href=\"https://example.com/reset?t=1&amp;u=2\">Reset your password</a></p><img src=\"cid:logo@example.com\"></body></html>\r\n"
	body := "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour code is 123456 (sent as text)\r\n" + htmlPart + "--alt--\r\n"
	alt := "Content-Type: multipart/alternative; boundary=alt\r\n\r\n" + body
	if inline {
		alt = "Content-Type: multipart/related; boundary=rel\r\n\r\n--rel\r\n" + alt +
			"--rel\r\nContent-Type: image/png\r\nContent-ID: <logo@example.com>\r\nContent-Disposition: inline; filename=logo.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--rel--\r\n"
	}
	return "From: Shop <shop@example.net>\r\nTo: QA Inbox <qa@contoso.com>\r\nSubject: Your code\r\nX-Campaign: =?utf-8?q?r=C3=A9initialiser?=\r\n" +
		"Content-Type: multipart/mixed; boundary=mix\r\n\r\n--mix\r\n" + alt +
		"--mix\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=invoice.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--mix--\r\n"
}

// readInserted stores raw in the mailbox's folder ("" for the inbox), connects, learns the
// folder names (as a list before a read would), resets the counters and reads the message.
func readInserted(t *testing.T, raw, folder string) (*emu, *providers.Message) {
	t.Helper()
	e := startEmulator(t, emulator.Config{})
	m, err := e.srv.Store().Insert(qaBox, []byte(raw), store.InsertOptions{Folder: folder, ReceivedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	mb := e.connect(t, nil)
	ctx := ctxT(t)
	if _, err := mb.Folders(ctx); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCounts()
	msg, err := mb.Read(ctx, m.ID, providers.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e, msg
}

// TestReadOneCallPerMessage: Exchange keeps one body, the HTML, so a read is one sub-request;
// text is derived from the HTML, headers come from internetMessageHeaders and an attachment's
// bytes are fetched when asked for.
func TestReadOneCallPerMessage(t *testing.T) {
	e, msg := readInserted(t, newsletter(false), "")
	ctx := ctxT(t)
	if g := e.graph(); g.Requests != 1 || g.Calls != 1 {
		t.Errorf("read took %d requests carrying %d calls, want 1 and 1", g.Requests, g.Calls)
	}
	if want := "Your code is 123456\n\nReset your password <https://example.com/reset?t=1&u=2>"; msg.Text != want {
		t.Errorf("text = %q, want %q (derived from the HTML, as Exchange does)", msg.Text, want)
	}
	if !strings.Contains(msg.HTML, "<b>123456</b>") || msg.Subject != "Your code" || msg.From.Address != "shop@example.net" || msg.Folder != "inbox" {
		t.Errorf("msg = %+v", msg)
	}
	if got := msg.Headers["x-campaign"]; len(got) != 1 || got[0] != "réinitialiser" {
		t.Errorf("x-campaign header = %q", got)
	}
	if len(msg.Links) != 1 || msg.Links[0] != "https://example.com/reset?t=1&u=2" {
		t.Errorf("links = %q", msg.Links)
	}
	if len(msg.Attachments) != 1 || msg.Attachments[0].Name != "invoice.pdf" || msg.Attachments[0].Inline {
		t.Fatalf("attachments = %+v", msg.Attachments)
	}
	e.srv.ResetCounts()
	b, err := msg.Attachments[0].Content(ctx)
	if err != nil || string(b) != "%PDF-1.4\n" {
		t.Errorf("attachment = %q, %v", b, err)
	}
	if g := e.graph(); g.Requests != 1 {
		t.Errorf("attachment bytes took %d requests, want 1", g.Requests)
	}
}

// TestReadInlineAttachments: Content-IDs are in no property Graph lets a $select name, so a
// message with inline attachments costs one more sub-request, its MIME source, which also
// holds every attachment's bytes.
func TestReadInlineAttachments(t *testing.T) {
	e, msg := readInserted(t, newsletter(true), "")
	ctx := ctxT(t)
	if g := e.graph(); g.Calls != 2 {
		t.Errorf("read took %d calls, want 2 (JSON, then MIME)", g.Calls)
	}
	var logo *providers.Attachment
	for i, a := range msg.Attachments {
		if a.Inline {
			logo = &msg.Attachments[i]
		}
	}
	if len(msg.Attachments) != 2 || logo == nil || logo.ContentID != "logo@example.com" || logo.Name != "logo.png" {
		t.Fatalf("attachments = %+v", msg.Attachments)
	}
	e.srv.ResetCounts()
	for _, a := range msg.Attachments {
		if b, err := a.Content(ctx); err != nil || len(b) == 0 {
			t.Errorf("%s: %q, %v", a.Name, b, err)
		}
	}
	if g := e.graph(); g.Requests != 0 {
		t.Errorf("attachment bytes took %d requests, want 0 (the MIME source had them)", g.Requests)
	}
}

// TestReadDraftHeaders: Graph shows no transport headers for a draft, so they come from its
// MIME source, in a second sub-request.
func TestReadDraftHeaders(t *testing.T) {
	raw := "From: QA Inbox <qa@contoso.com>\r\nTo: ops@contoso.com\r\nSubject: Draft reply\r\nContent-Type: text/plain\r\n\r\nnot sent yet\r\n"
	e, msg := readInserted(t, raw, "drafts")
	if g := e.graph(); g.Calls != 2 {
		t.Errorf("read of a draft took %d calls, want 2 (JSON, then MIME for the headers)", g.Calls)
	}
	if got := msg.Headers["subject"]; len(got) != 1 || got[0] != "Draft reply" || msg.Text != "not sent yet\n" {
		t.Errorf("headers = %v, text = %q", msg.Headers, msg.Text)
	}
}
