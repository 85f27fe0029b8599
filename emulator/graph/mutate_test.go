package graph

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBatchDependsOn(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	body := `{"requests":[
		{"id":"1","method":"GET","url":"/users/ana@contoso.com/messages/AAMkAGnope"},
		{"id":"2","method":"GET","url":"/users/ana@contoso.com/mailFolders/inbox","dependsOn":["1"]},
		{"id":"3","method":"POST","url":"/users/ana@contoso.com/mailFolders","body":{"displayName":"Receipts"},"headers":{"Content-Type":"application/json"}},
		{"id":"4","method":"GET","url":"users/ana@contoso.com/mailFolders?$top=20","dependsOn":["3"]}]}`
	status, _, b := fx.do(t, "POST", "/v1.0/$batch", tok, strings.NewReader(body))
	if status != 200 {
		t.Fatalf("status %d: %s", status, b)
	}
	var out struct {
		Responses []struct {
			ID     string
			Status int
			Body   json.RawMessage
		}
	}
	_ = json.Unmarshal(b, &out)
	want := map[string]int{"1": 404, "2": 424, "3": 201, "4": 200}
	for _, r := range out.Responses {
		if want[r.ID] != r.Status {
			t.Errorf("response %s: status %d, want %d (%s)", r.ID, r.Status, want[r.ID], r.Body)
		}
	}
	if len(out.Responses) != 4 || !strings.Contains(string(out.Responses[3].Body), `"displayName":"Receipts"`) {
		t.Errorf("batch responses: %s", b)
	}
}

func TestDraftPatchAndDeltaPaging(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	status, _, b := fx.do(t, "POST", "/v1.0/users/ana@contoso.com/messages", tok, strings.NewReader(`{"subject":"v1","body":{"contentType":"html","content":"<p>one</p>"}}`))
	var draft struct {
		ID      string
		IsDraft bool
	}
	_ = json.Unmarshal(b, &draft)
	if status != 201 || !draft.IsDraft {
		t.Fatalf("create draft: %d %s", status, b)
	}
	status, _, b = fx.do(t, "PATCH", "/v1.0/users/ana@contoso.com/messages/"+draft.ID, tok, strings.NewReader(`{"subject":"v2","toRecipients":[{"emailAddress":{"address":"ben@contoso.com"}}],"isRead":false}`))
	if status != 200 || !strings.Contains(string(b), `"subject":"v2"`) || !strings.Contains(string(b), `"isRead":false`) || !strings.Contains(string(b), "<p>one</p>") {
		t.Fatalf("patch draft: %d %s", status, b)
	}
	inbox, _ := fx.store.List("ana@contoso.com", storeQuery("inbox"))
	status, _, b = fx.do(t, "PATCH", "/v1.0/users/ana@contoso.com/messages/"+inbox[0].ID, tok, strings.NewReader(`{"subject":"rewritten"}`))
	if status != 400 || !strings.Contains(string(b), "ErrorInvalidPropertyUpdateSentMessage") {
		t.Errorf("patch subject of a received message: %d %s", status, b)
	}

	// Delta without the () the Go SDK appends, paged by Prefer: odata.maxpagesize.
	next := "/v1.0/users/ana@contoso.com/mailFolders/inbox/messages/delta?$select=subject"
	seen := 0
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("delta does not end")
		}
		status, _, b = fx.do(t, "GET", next, tok, nil, "Prefer", "odata.maxpagesize=10")
		var page struct {
			Value     []map[string]any
			NextLink  string `json:"@odata.nextLink"`
			DeltaLink string `json:"@odata.deltaLink"`
		}
		if err := json.Unmarshal(b, &page); err != nil || status != 200 {
			t.Fatalf("delta page: %d %s", status, b)
		}
		seen += len(page.Value)
		next = strings.TrimPrefix(page.NextLink, fx.srv.URL)
		if page.DeltaLink != "" && seen != 26 {
			t.Errorf("initial delta returned %d messages, want 26", seen)
		}
	}
}
