package graph

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
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
