package gmail

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	gmailapi "google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"
)

func listIDs(t *testing.T, call *gmailapi.UsersMessagesListCall) []string {
	t.Helper()
	var ids []string
	err := call.Pages(context.Background(), func(r *gmailapi.ListMessagesResponse) error {
		for _, m := range r.Messages {
			ids = append(ids, m.Id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestMessagesList(t *testing.T) {
	e := newEnv(t)
	svc := e.service(testUser, scopeReadonly)
	id := e.ids
	tests := []struct {
		name   string
		call   func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall
		expect []string
	}{
		{"all but spam, newest first", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall { return c },
			[]string{id["reset"], id["invoice"], id["welcome"], id["receipt"]}},
		{"includeSpamTrash", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.IncludeSpamTrash(true)
		},
			[]string{id["reset"], id["spam"], id["invoice"], id["welcome"], id["receipt"]}},
		{"labelIds SPAM", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall { return c.LabelIds("SPAM") },
			[]string{id["spam"]}},
		{"labelIds INBOX+UNREAD", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.LabelIds("INBOX", "UNREAD")
		}, []string{id["reset"], id["invoice"]}},
		{"q from", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.Q("from:shop.example")
		},
			[]string{id["invoice"], id["receipt"]}},
		{"q subject phrase, decoded RFC 2047", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.Q(`subject:"mot de passe"`)
		}, []string{id["reset"]}},
		{"q body word", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall { return c.Q("493021") },
			[]string{id["reset"]}},
		{"q newer_than", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall { return c.Q("newer_than:1d") },
			[]string{id["reset"]}},
		{"q date range", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.Q("after:2026/03/01 before:2026/03/03")
		}, []string{id["invoice"], id["welcome"]}},
		{"q has:attachment is:unread", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.Q("has:attachment is:unread")
		}, []string{id["invoice"]}},
		{"q label name", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall { return c.Q("label:receipts") },
			[]string{id["receipt"]}},
		{"q in:spam reaches spam", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall { return c.Q("in:spam") },
			[]string{id["spam"]}},
		{"q OR and negation", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.Q("(from:security OR from:no-reply) -subject:welcome")
		}, []string{id["reset"]}},
		{"q rfc822msgid", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall {
			return c.Q("rfc822msgid:<welcome-1@example.org>")
		}, []string{id["welcome"]}},
		{"paging by 2", func(c *gmailapi.UsersMessagesListCall) *gmailapi.UsersMessagesListCall { return c.MaxResults(2) },
			[]string{id["reset"], id["invoice"], id["welcome"], id["receipt"]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := listIDs(t, tc.call(svc.Users.Messages.List("me")))
			if !slices.Equal(got, tc.expect) {
				t.Errorf("got %v, want %v (ids %v)", got, tc.expect, id)
			}
		})
	}
	page, err := svc.Users.Messages.List("me").MaxResults(3).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 3 || page.NextPageToken == "" || page.ResultSizeEstimate != 4 || page.Messages[0].ThreadId == "" {
		t.Errorf("first page: %d messages, token %q, estimate %d", len(page.Messages), page.NextPageToken, page.ResultSizeEstimate)
	}
	none, err := svc.Users.Messages.List("me").Q("zebra").Do()
	if err != nil || len(none.Messages) != 0 || none.ResultSizeEstimate != 0 {
		t.Errorf("no match: %+v %v", none, err)
	}
	_, err = svc.Users.Messages.List("me").Q(`"unclosed`).Do()
	assertAPIError(t, err, 400, "invalidArgument")
}

func assertAPIError(t *testing.T, err error, code int, reason string) {
	t.Helper()
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		t.Fatalf("want *googleapi.Error %d %s, got %v", code, reason, err)
	}
	if ge.Code != code || len(ge.Errors) == 0 || ge.Errors[0].Reason != reason {
		t.Fatalf("got %d %+v, want %d %s", ge.Code, ge.Errors, code, reason)
	}
}

func TestMessagesGetFormats(t *testing.T) {
	e := newEnv(t)
	svc := e.service(testUser, scopeReadonly)
	id := e.ids["invoice"]
	full, err := svc.Users.Messages.Get("me", id).Do()
	if err != nil {
		t.Fatal(err)
	}
	if full.Payload.MimeType != "multipart/mixed" || len(full.Payload.Parts) != 2 || full.Raw != "" ||
		full.SizeEstimate != int64(len(seedInvoice)) || full.InternalDate != 1772438405000 || full.HistoryId == 0 {
		t.Fatalf("full: %+v", full)
	}
	html := full.Payload.Parts[0].Parts[0]
	body, err := base64.URLEncoding.DecodeString(html.Body.Data)
	if err != nil || html.PartId != "0.0" || !strings.Contains(string(body), "Amount due: 10€") {
		t.Errorf("html part %s: %q %v", html.PartId, body, err)
	}
	pdf := full.Payload.Parts[1]
	if pdf.Filename != "invoice-42.pdf" || pdf.Body.AttachmentId == "" || pdf.Body.Data != "" || pdf.Body.Size != 54 {
		t.Errorf("attachment part: %+v %+v", pdf, pdf.Body)
	}
	att, err := svc.Users.Messages.Attachments.Get("me", id, pdf.Body.AttachmentId).Do()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := base64.URLEncoding.DecodeString(att.Data)
	if att.Size != 54 || !strings.HasPrefix(string(data), "%PDF-1.4") {
		t.Errorf("attachment: size %d data %q", att.Size, data)
	}
	_, err = svc.Users.Messages.Attachments.Get("me", id, "ANGjdJbogus").Do()
	assertAPIError(t, err, 400, "invalidArgument")

	meta, err := svc.Users.Messages.Get("me", id).Format("metadata").MetadataHeaders("subject", "From").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Payload.Headers) != 2 || meta.Payload.Headers[0].Name != "From" || meta.Payload.Parts != nil {
		t.Errorf("metadata headers: %+v", meta.Payload.Headers)
	}
	min, err := svc.Users.Messages.Get("me", id).Format("minimal").Do()
	if err != nil || min.Payload != nil || !slices.Equal(min.LabelIds, []string{"INBOX", "UNREAD"}) {
		t.Errorf("minimal: %+v %v", min, err)
	}
	raw, err := svc.Users.Messages.Get("me", id).Format("raw").Do()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := base64.URLEncoding.DecodeString(raw.Raw); string(b) != string(seedInvoice) {
		t.Errorf("raw does not round-trip")
	}
	reset, err := svc.Users.Messages.Get("me", e.ids["reset"]).Format("metadata").MetadataHeaders("Subject").Do()
	if err != nil || reset.Payload.Headers[0].Value != "Réinitialisez votre mot de passe" {
		t.Errorf("decoded subject: %+v %v", reset, err)
	}

	_, err = svc.Users.Messages.Get("me", "18aaaaaaaaaaaaaa").Do()
	assertAPIError(t, err, 404, "notFound")
	_, err = svc.Users.Messages.Get("me", "not-an-id").Do()
	assertAPIError(t, err, 400, "invalidArgument")
	_, err = svc.Users.Messages.Get("me", id).Format("bogus").Do()
	assertAPIError(t, err, 400, "invalidArgument")
	_, err = svc.Users.Messages.Get(otherUser, id).Do()
	assertAPIError(t, err, 403, "forbidden")
	if _, err := svc.Users.Messages.Get(testUser, id).Do(); err != nil {
		t.Errorf("userId as the address: %v", err)
	}
}

func TestScopes(t *testing.T) {
	e := newEnv(t)
	ro := e.service(testUser, scopeReadonly)
	_, err := ro.Users.Messages.Trash("me", e.ids["invoice"]).Do()
	assertAPIError(t, err, 403, "insufficientPermissions")
	mod := e.service(testUser, scopeModify)
	err = mod.Users.Messages.Delete("me", e.ids["invoice"]).Do()
	assertAPIError(t, err, 403, "insufficientPermissions")
	meta := e.service(testUser, scopeMetadata)
	_, err = meta.Users.Messages.Get("me", e.ids["invoice"]).Do()
	assertAPIError(t, err, 403, "forbidden")
	_, err = meta.Users.Messages.List("me").Q("from:x").Do()
	assertAPIError(t, err, 403, "forbidden")
	if _, err := meta.Users.Messages.Get("me", e.ids["invoice"]).Format("metadata").Do(); err != nil {
		t.Errorf("metadata scope, metadata format: %v", err)
	}
	send := e.service(testUser, scopeSend)
	_, err = send.Users.Messages.List("me").Do()
	assertAPIError(t, err, 403, "insufficientPermissions")
}

func TestProfileAndLabels(t *testing.T) {
	e := newEnv(t)
	svc := e.service(testUser, scopeReadonly)
	p, err := svc.Users.GetProfile("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	if p.EmailAddress != testUser || p.MessagesTotal != 5 || p.ThreadsTotal != 5 || p.HistoryId == 0 {
		t.Errorf("profile: %+v", p)
	}
	ls, err := svc.Users.Labels.List("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range ls.Labels {
		names = append(names, l.Id+"="+l.Name+"/"+l.Type)
	}
	for _, want := range []string{"INBOX=INBOX/system", "UNREAD=UNREAD/system", "CATEGORY_PERSONAL=CATEGORY_PERSONAL/system", "Label_1=Receipts/user"} {
		if !slices.Contains(names, want) {
			t.Errorf("labels %v lack %s", names, want)
		}
	}
	inbox, err := svc.Users.Labels.Get("me", "INBOX").Do()
	if err != nil || inbox.MessagesTotal != 4 || inbox.MessagesUnread != 2 {
		t.Errorf("INBOX counts: %+v %v", inbox, err)
	}
	_, err = svc.Users.Labels.Get("me", "Label_99").Do()
	assertAPIError(t, err, 404, "notFound")
}
