package graph

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/emulator/store"
)

func TestRequestLimits(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	big := base64.StdEncoding.EncodeToString(make([]byte, 3<<20+1)) // a 3 MB file is over 4 MB as base64
	msg := `{"subject":"big","toRecipients":[{"emailAddress":{"address":"ben@contoso.com"}}],"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.bin","contentBytes":"` + big + `"}]}`
	tests := []struct {
		name, path, contentType, body string
		status                        int
		code                          string
	}{
		{"sendMail over 4 MB", "/sendMail", "application/json", `{"message":` + msg + `}`, 413, "ErrorRequestEntityTooLarge"},
		{"draft over 4 MB", "/messages", "application/json", msg, 400, "BadRequest"},
		{"MIME not base64", "/sendMail", "text/plain", "From: a@b\r\n\r\nnot base64!", 400, "ErrorMimeContentInvalidBase64String"},
	}
	for _, tc := range tests {
		status, _, b := fx.do(t, "POST", "/v1.0/users/ana@contoso.com"+tc.path, tok, strings.NewReader(tc.body), "Content-Type", tc.contentType)
		var e errorBody
		_ = json.Unmarshal(b, &e)
		if status != tc.status || e.Error.Code != tc.code {
			t.Errorf("%s: %d %s", tc.name, status, b)
		}
	}
	if inbox, _ := fx.store.List("ben@contoso.com", storeQuery("inbox")); len(inbox) != 0 {
		t.Errorf("a refused send was delivered: %d messages", len(inbox))
	}
}

// TestSubmissionLimits: Exchange Online submits at most 500 recipients and 35 MB per message;
// a draft may be edited beyond them, but not sent.
func TestSubmissionLimits(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	var rs []string
	for i := range 501 {
		rs = append(rs, fmt.Sprintf(`{"emailAddress":{"address":"r%d@example.com"}}`, i))
	}
	many := `{"subject":"many","toRecipients":[` + strings.Join(rs[:300], ",") + `],"bccRecipients":[` + strings.Join(rs[300:], ",") + `]}`
	status, _, b := fx.do(t, "POST", "/v1.0/users/ana@contoso.com/sendMail", tok, strings.NewReader(`{"message":`+many+`}`), "Content-Type", "application/json")
	var e errorBody
	_ = json.Unmarshal(b, &e)
	if status != 400 || e.Error.Code != "ErrorTooManyRecipients" || !strings.Contains(e.Error.Message, "501 recipients") {
		t.Errorf("sendMail to 501: %d %s", status, b)
	}

	raw := "From: ana@contoso.com\r\nTo: ben@contoso.com\r\nSubject: huge\r\nContent-Type: text/plain\r\n\r\n" + strings.Repeat("0123456789abcdef\r\n", (35<<20)/18+1)
	draft, err := fx.store.Insert("ana@contoso.com", []byte(raw), store.InsertOptions{Folder: store.Drafts})
	if err != nil {
		t.Fatal(err)
	}
	status, _, b = fx.do(t, "POST", "/v1.0/users/ana@contoso.com/messages/"+draft.ID+"/send", tok, nil)
	e = errorBody{}
	_ = json.Unmarshal(b, &e)
	if status != 413 || e.Error.Code != "ErrorMessageSizeExceeded" {
		t.Errorf("sending a 35 MB draft: %d %s", status, b)
	}
	if inbox, _ := fx.store.List("ben@contoso.com", storeQuery("inbox")); len(inbox) != 0 {
		t.Errorf("a refused send was delivered: %d messages", len(inbox))
	}
}
