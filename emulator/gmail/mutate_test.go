package gmail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	gmailapi "google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"
)

func labelsOf(t *testing.T, svc *gmailapi.Service, id string) []string {
	t.Helper()
	m, err := svc.Users.Messages.Get("me", id).Format("minimal").Do()
	if err != nil {
		t.Fatal(err)
	}
	return m.LabelIds
}

func TestModifyTrashDelete(t *testing.T) {
	e := newEnv(t)
	svc := e.service(testUser, scopeFull)
	id := e.ids["invoice"]
	m, err := svc.Users.Messages.Modify("me", id, &gmailapi.ModifyMessageRequest{
		AddLabelIds: []string{"STARRED", "Label_1", "IMPORTANT"}, RemoveLabelIds: []string{"UNREAD", "INBOX"},
	}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"IMPORTANT", "Label_1", "STARRED"}; !slices.Equal(m.LabelIds, want) {
		t.Errorf("after modify: %v, want %v", m.LabelIds, want)
	}
	_, err = svc.Users.Messages.Modify("me", id, &gmailapi.ModifyMessageRequest{AddLabelIds: []string{"Label_42"}}).Do()
	assertAPIError(t, err, 400, "invalidArgument")

	tr, err := svc.Users.Messages.Trash("me", e.ids["welcome"]).Do()
	if err != nil || !slices.Equal(tr.LabelIds, []string{"TRASH"}) {
		t.Fatalf("trash: %+v %v", tr, err)
	}
	if ids := listIDs(t, svc.Users.Messages.List("me")); slices.Contains(ids, e.ids["welcome"]) {
		t.Errorf("trashed message still listed: %v", ids)
	}
	un, err := svc.Users.Messages.Untrash("me", e.ids["welcome"]).Do()
	if err != nil || slices.Contains(un.LabelIds, "TRASH") {
		t.Fatalf("untrash: %+v %v", un, err)
	}

	if err := svc.Users.Messages.BatchModify("me", &gmailapi.BatchModifyMessagesRequest{
		Ids: []string{e.ids["reset"], e.ids["receipt"], "18ffffffffffffff"}, AddLabelIds: []string{"UNREAD"},
	}).Do(); err != nil {
		t.Fatal(err)
	}
	unread := listIDs(t, svc.Users.Messages.List("me").Q("is:unread"))
	if !slices.Equal(unread, []string{e.ids["reset"], e.ids["receipt"]}) {
		t.Errorf("unread after batchModify: %v", unread)
	}

	if err := svc.Users.Messages.Delete("me", id).Do(); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Users.Messages.Get("me", id).Do()
	assertAPIError(t, err, 404, "notFound")
	err = svc.Users.Messages.Delete("me", id).Do()
	assertAPIError(t, err, 404, "notFound")
}

func TestSendJSONDeliversAcrossMailboxes(t *testing.T) {
	e := newEnv(t)
	svc := e.service(testUser, scopeSend)
	raw := "To: dev@example.com, ops@contoso.com\r\nBcc: hidden@example.com\r\nSubject: Hello dev\r\n\r\nHi there\r\n"
	sent, err := svc.Users.Messages.Send("me", &gmailapi.Message{Raw: base64.URLEncoding.EncodeToString([]byte(raw))}).Do()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sent.LabelIds, []string{"SENT"}) || sent.Id == "" || sent.ThreadId == "" {
		t.Errorf("send response: %+v", sent)
	}
	dev := e.service(otherUser, scopeReadonly)
	ids := listIDs(t, dev.Users.Messages.List("me").Q(`subject:"hello dev" in:inbox`))
	if len(ids) != 1 {
		t.Fatalf("dev inbox: %v", ids)
	}
	got, err := dev.Users.Messages.Get("me", ids[0]).Format("raw").Do()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := base64.URLEncoding.DecodeString(got.Raw); bytes.Contains(b, []byte("Bcc:")) || !bytes.Contains(b, []byte("From: ")) {
		t.Errorf("delivered copy:\n%s", b)
	}
	if ms, err := e.store.List("ops@contoso.com", store.Query{}); err != nil || len(ms) != 1 {
		t.Errorf("Microsoft mailbox got %d messages (%v)", len(ms), err)
	}

	_, err = svc.Users.Messages.Send("me", &gmailapi.Message{Raw: base64.RawURLEncoding.EncodeToString([]byte("Subject: nobody\r\n\r\nx"))}).Do()
	assertAPIError(t, err, 400, "invalidArgument")
	_, err = svc.Users.Messages.Send("me", &gmailapi.Message{}).Do()
	assertAPIError(t, err, 400, "invalidArgument")
}

// bigMessage is a ~10 MB message with a base64 attachment, the size the design routes
// through resumable upload.
func bigMessage(to string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "To: %s\r\nSubject: Big upload\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n", to)
	b.WriteString("--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--b\r\n")
	b.WriteString("Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"blob.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	data := bytes.Repeat([]byte("mailscript emulator "), 7_500_000/20)
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b--\r\n")
	return b.Bytes()
}

func TestSendUpload(t *testing.T) {
	e := newEnv(t)
	svc := e.service(testUser, scopeModify)
	big := bigMessage(otherUser)
	if _, err := svc.Users.GetProfile("me").Do(); err != nil { // fetches the token, out of the request counts
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		opts         []googleapi.MediaOption
		raw          []byte
		wantRequests []string
	}{
		{"multipart", []googleapi.MediaOption{googleapi.ContentType("message/rfc822")},
			[]byte("To: dev@example.com\r\nSubject: small upload\r\n\r\nhello\r\n"), []string{"uploadType=multipart"}},
		{"multipart 10MB in one request", []googleapi.MediaOption{googleapi.ContentType("message/rfc822")}, big,
			[]string{"uploadType=multipart"}},
		{"resumable 10MB in 1 MiB chunks", []googleapi.MediaOption{googleapi.ContentType("message/rfc822"), googleapi.ChunkSize(1 << 20)}, big,
			append([]string{"POST /upload/gmail/v1/users/me/messages/send?alt=json&prettyPrint=false&uploadType=resumable"},
				slices.Repeat([]string{"upload_id="}, (len(big)+(1<<20)-1)>>20)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.requests()
			sent, err := svc.Users.Messages.Send("me", &gmailapi.Message{}).Media(bytes.NewReader(tc.raw), tc.opts...).Do()
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.store.Get(testUser, sent.Id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasSuffix(got.Raw, tc.raw) {
				t.Errorf("sent copy differs: %d bytes, want suffix of %d", len(got.Raw), len(tc.raw))
			}
			log := e.requests()
			if want := tc.wantRequests; len(log) != len(want) {
				t.Fatalf("requests %v, want %v", log, want)
			}
			for i, want := range tc.wantRequests {
				if !strings.Contains(log[i], want) {
					t.Errorf("request %d = %s, want it to contain %s", i, log[i], want)
				}
			}
		})
	}
	_, err := svc.Users.Messages.Send("me", &gmailapi.Message{}).Media(strings.NewReader("To: x@y\r\n\r\nz"), googleapi.ContentType("text/plain")).Do()
	assertAPIError(t, err, 400, "badContent")
	// Resumable upload with a large chunk size makes gensupport send one multipart request;
	// ResumableMedia forces the session protocol even for one chunk.
	sent, err := svc.Users.Messages.Send("me", &gmailapi.Message{}).
		ResumableMedia(t.Context(), bytes.NewReader(big), int64(len(big)), "message/rfc822").Do()
	if err != nil || sent.Id == "" {
		t.Fatalf("ResumableMedia: %+v %v", sent, err)
	}
}

func TestHistory(t *testing.T) {
	e := newEnv(t)
	svc := e.service(testUser, scopeModify)
	p, err := svc.Users.GetProfile("me").Do()
	if err != nil {
		t.Fatal(err)
	}
	start := p.HistoryId
	if _, err := svc.Users.Messages.Modify("me", e.ids["invoice"], &gmailapi.ModifyMessageRequest{RemoveLabelIds: []string{"UNREAD"}}).Do(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Insert(testUser, crlf("From: a@b.c\nTo: qa@example.com\nSubject: new\n\nnew mail\n"), store.InsertOptions{}); err != nil {
		t.Fatal(err)
	}
	h, err := svc.Users.History.List("me").StartHistoryId(start).Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(h.History) != 2 || len(h.History[0].LabelsRemoved) != 1 || h.History[0].LabelsRemoved[0].LabelIds[0] != "UNREAD" ||
		len(h.History[1].MessagesAdded) != 1 || h.HistoryId != start+2 {
		t.Fatalf("history: %+v", h)
	}
	added, err := svc.Users.History.List("me").StartHistoryId(start).HistoryTypes("messageAdded").Do()
	if err != nil || len(added.History) != 1 || added.History[0].MessagesAdded[0].Message.Id == "" {
		t.Errorf("historyTypes filter: %+v %v", added, err)
	}
	paged, err := svc.Users.History.List("me").StartHistoryId(start).MaxResults(1).Do()
	if err != nil || len(paged.History) != 1 || paged.NextPageToken == "" {
		t.Fatalf("paged: %+v %v", paged, err)
	}
	rest, err := svc.Users.History.List("me").StartHistoryId(start).PageToken(paged.NextPageToken).Do()
	if err != nil || len(rest.History) != 1 || rest.History[0].Id != start+2 {
		t.Errorf("second page: %+v %v", rest, err)
	}
	_, err = svc.Users.History.List("me").StartHistoryId(1).Do()
	assertAPIError(t, err, 404, "notFound")
}

func TestExpiredAndMissingTokens(t *testing.T) {
	e := newEnv(t)
	tok := e.token(testUser, scopeReadonly)
	if code, _, _ := e.do("GET", "/gmail/v1/users/me/profile", tok, nil, nil); code != 200 {
		t.Fatalf("fresh token: %d", code)
	}
	e.clock.Add(61 * time.Minute)
	code, hdr, body := e.do("GET", "/gmail/v1/users/me/profile", tok, nil, nil)
	if code != 401 || !strings.Contains(string(body), `"reason": "authError"`) || hdr.Get("WWW-Authenticate") == "" {
		t.Errorf("expired token: %d %s", code, body)
	}
	code, _, body = e.do("GET", "/gmail/v1/users/me/profile", "", nil, nil)
	if code != 401 || !strings.Contains(string(body), `"reason": "required"`) {
		t.Errorf("no token: %d %s", code, body)
	}
}
