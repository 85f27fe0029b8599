package graph

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/mailscript/mailscript/emulator/store"
)

type deltaResp struct {
	Context   string           `json:"@odata.context"`
	NextLink  string           `json:"@odata.nextLink"`
	DeltaLink string           `json:"@odata.deltaLink"`
	Value     []map[string]any `json:"value"`
}

// round follows nextLinks to the deltaLink and returns every item of the round.
func (fx *fixture) round(t *testing.T, tok, link string) ([]map[string]any, string) {
	t.Helper()
	var items []map[string]any
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("delta round does not end")
		}
		status, _, b := fx.do(t, "GET", strings.TrimPrefix(link, fx.srv.URL), tok, nil, "Prefer", "odata.maxpagesize=4")
		var r deltaResp
		if err := json.Unmarshal(b, &r); err != nil || status != 200 {
			t.Fatalf("delta page: %d %s", status, b)
		}
		if r.Context != fx.srv.URL+"/v1.0/$metadata#Collection(message)" {
			t.Errorf("@odata.context = %q", r.Context)
		}
		for _, l := range []string{r.NextLink, r.DeltaLink} {
			if u, _ := url.Parse(l); l != "" && len(u.Query()) != 1 {
				t.Errorf("state link carries more than its token: %s", l)
			}
		}
		items = append(items, r.Value...)
		if r.NextLink == "" {
			return items, r.DeltaLink
		}
		link = r.NextLink
	}
}

func subjects(items []map[string]any) []string {
	var out []string
	for _, it := range items {
		if it["@removed"] != nil {
			out = append(out, "removed")
		} else {
			out = append(out, it["subject"].(string))
		}
	}
	return out
}

// TestDeltaFilterScope: the initial $filter=receivedDateTime ge X limits the sync, and the
// deltaLink keeps that scope (and the $select) for later rounds.
func TestDeltaFilterScope(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	start := "/v1.0/users/ana@contoso.com/mailFolders/inbox/messages/delta?$select=subject,receivedDateTime&$orderby=" +
		url.QueryEscape("receivedDateTime desc") + "&$filter=" + url.QueryEscape("receivedDateTime ge 2026-03-03T10:20:00Z")
	items, deltaLink := fx.round(t, tok, start)
	if got := strings.Join(subjects(items), "|"); got != "Ihr Bestätigungscode – 482913|Order 24|Order 23|Order 22|Order 21|Order 20" {
		t.Fatalf("initial sync = %s", got)
	}
	if len(items[0]) != 5 || items[0]["@odata.type"] != "#microsoft.graph.message" || items[0]["@odata.etag"] == nil {
		t.Errorf("item shape = %v", items[0])
	}

	inbox, _ := fx.store.List("ana@contoso.com", storeQuery("inbox"))
	byS := map[string]string{}
	for _, m := range inbox {
		byS[m.Subject] = m.ID
	}
	insert := func(subject string, at time.Time) {
		raw := "From: a@example.net\r\nTo: ana@contoso.com\r\nSubject: " + subject + "\r\n\r\nx\r\n"
		if _, err := fx.store.Insert("ana@contoso.com", []byte(raw), store.InsertOptions{ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	insert("Late import", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	insert("Fresh", time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC))
	read := true
	for _, s := range []string{"Order 00", "Order 22"} {
		if _, err := fx.store.Update("ana@contoso.com", byS[s], store.Change{IsRead: &read}); err != nil {
			t.Fatal(err)
		}
	}
	if err := fx.store.Delete("ana@contoso.com", byS["Order 21"]); err != nil {
		t.Fatal(err)
	}
	items, _ = fx.round(t, tok, deltaLink)
	if got := strings.Join(subjects(items), "|"); got != "Fresh|Order 22|removed" {
		t.Errorf("changes in scope = %s", got)
	}
	for _, it := range items {
		if _, has := it["body"]; has {
			t.Errorf("$select was lost in the deltaLink: %v", it)
		}
	}
}

func TestDeltaChangeType(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	_, deltaLink := fx.round(t, tok, "/v1.0/users/ana@contoso.com/mailFolders/inbox/messages/delta?changeType=created&$select=subject")
	inbox, _ := fx.store.List("ana@contoso.com", storeQuery("inbox"))
	read := true
	if _, err := fx.store.Update("ana@contoso.com", inbox[3].ID, store.Change{IsRead: &read}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.Insert("ana@contoso.com", []byte("From: a@example.net\r\nSubject: New one\r\n\r\nx\r\n"), store.InsertOptions{}); err != nil {
		t.Fatal(err)
	}
	items, _ := fx.round(t, tok, deltaLink)
	if got := strings.Join(subjects(items), "|"); got != "New one" {
		t.Errorf("changeType=created round = %s", got)
	}
}

func TestDeltaRefusals(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	inbox := "/v1.0/users/ana@contoso.com/mailFolders/inbox/messages/delta"
	tests := []struct{ name, path, message string }{
		{"mailbox-wide", "/v1.0/users/ana@contoso.com/messages/delta()", "Unsupported request: Change tracking is not supported against 'microsoft.graph.message'."},
		{"other filter", inbox + "?$filter=" + url.QueryEscape("isRead eq false"), "The $filter 'isRead eq false' is not supported on messages delta: the only supported expressions are 'receivedDateTime ge {value}' and 'receivedDateTime gt {value}'."},
		{"other orderby", inbox + "?$orderby=subject", "The $orderby 'subject' is not supported on messages delta: the only supported expression is 'receivedDateTime desc'."},
		{"search", inbox + "?$search=%22x%22", "$search is not supported on messages delta."},
		{"bad changeType", inbox + "?changeType=moved", "The changeType 'moved' is not valid: use created, updated or deleted."},
		{"latest", inbox + "?$deltatoken=latest", `$deltatoken=latest ("sync from now") is documented only for directory resources (users, groups) and OneDrive/SharePoint, not for messages delta. Do an initial sync instead; $filter=receivedDateTime ge {now} keeps it short.`},
		{"garbage token", inbox + "?$deltatoken=zz", "The $deltatoken value is malformed; use the @odata.nextLink or @odata.deltaLink URL unchanged."},
	}
	for _, tc := range tests {
		status, _, b := fx.do(t, "GET", tc.path, tok, nil)
		var e errorBody
		_ = json.Unmarshal(b, &e)
		if status != 400 || e.Error.Code != "BadRequest" || e.Error.Message != tc.message {
			t.Errorf("%s: %d %s", tc.name, status, b)
		}
	}
}

// TestDeltaSDK drives the filtered delta and the mailbox-wide refusal through msgraph-sdk-go.
func TestDeltaSDK(t *testing.T) {
	fx := newFixture(t)
	client, _ := fx.sdk(t)
	ctx := context.Background()
	headers := abs.NewRequestHeaders()
	headers.Add("Prefer", "odata.maxpagesize=2")
	first, err := client.Users().ByUserId("ana@contoso.com").MailFolders().ByMailFolderId("inbox").Messages().Delta().GetAsDeltaGetResponse(ctx,
		&users.ItemMailFoldersItemMessagesDeltaRequestBuilderGetRequestConfiguration{Headers: headers,
			QueryParameters: &users.ItemMailFoldersItemMessagesDeltaRequestBuilderGetQueryParameters{
				Filter: ptr("receivedDateTime gt 2026-03-03T10:22:00Z"), Select: []string{"subject"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.GetValue()) != 2 || first.GetOdataNextLink() == nil || *first.GetValue()[0].GetSubject() != "Ihr Bestätigungscode – 482913" {
		t.Fatalf("first page: %d items, next %v", len(first.GetValue()), first.GetOdataNextLink())
	}
	second, err := users.NewItemMailFoldersItemMessagesDeltaRequestBuilder(*first.GetOdataNextLink(), fx.adapterOf(t)).GetAsDeltaGetResponse(ctx, nil)
	if err != nil || len(second.GetValue()) != 1 || *second.GetValue()[0].GetSubject() != "Order 23" || second.GetOdataDeltaLink() == nil {
		t.Fatalf("second page: %v %v", err, second)
	}
	_, err = client.Users().ByUserId("ana@contoso.com").Messages().Delta().GetAsDeltaGetResponse(ctx, nil)
	var odErr *odataerrors.ODataError
	if !asODataError(err, &odErr) || odErr.ResponseStatusCode != 400 || *odErr.GetErrorEscaped().GetCode() != "BadRequest" {
		t.Errorf("mailbox-wide delta: %v", err)
	}
}

func TestDeltaGolden(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	_, hdr, b := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/mailFolders/inbox/messages/delta?$select=subject,isRead&$filter="+
		url.QueryEscape("receivedDateTime ge 2026-03-03T10:23:00Z"), tok, nil, "Prefer", "odata.maxpagesize=2")
	if hdrGet(hdr, "Preference-Applied") != "odata.maxpagesize=2" {
		t.Errorf("Preference-Applied = %q", hdrGet(hdr, "Preference-Applied"))
	}
	golden(t, "delta_filtered_page", b)
}
