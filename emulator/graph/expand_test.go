package graph

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

func (fx *fixture) richID(t *testing.T) string {
	t.Helper()
	ms, _ := fx.store.List("ana@contoso.com", storeQuery("inbox"))
	return ms[0].ID
}

func TestExpandAttachmentsSDK(t *testing.T) {
	fx := newFixture(t)
	client, _ := fx.sdk(t)
	ctx := context.Background()
	msgs := client.Users().ByUserId("ana@contoso.com").Messages()
	m, err := msgs.ByMessageId(fx.richID(t)).Get(ctx, &users.ItemMessagesMessageItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesMessageItemRequestBuilderGetQueryParameters{
			Select: []string{"subject", "hasAttachments"}, Expand: []string{"attachments($select=id,name,contentType,size,isInline)"}}})
	if err != nil {
		t.Fatal(err)
	}
	atts := m.GetAttachments()
	if len(atts) != 2 || *atts[1].GetName() != "invoice.pdf" || *atts[1].GetSize() != 19 || *atts[0].GetIsInline() != true || m.GetBody() != nil {
		t.Fatalf("expanded attachments = %v, body %v", atts, m.GetBody())
	}
	if fa, ok := atts[1].(models.FileAttachmentable); !ok || fa.GetContentBytes() != nil {
		t.Errorf("selected attachment carries contentBytes or lost its type: %T", atts[1])
	}
	list, err := msgs.Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Top: ptr(int32(2)), Expand: []string{"attachments"}}})
	if err != nil {
		t.Fatal(err)
	}
	if v := list.GetValue(); len(v) != 2 || len(v[0].GetAttachments()) != 2 || len(v[1].GetAttachments()) != 0 ||
		string(v[0].GetAttachments()[1].(models.FileAttachmentable).GetContentBytes()[:4]) != "%PDF" {
		t.Errorf("list with $expand=attachments = %v", v)
	}
}

func TestExpandWire(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	path := "/v1.0/users/ana@contoso.com/messages/" + fx.richID(t)
	status, _, b := fx.do(t, "GET", path+"?$select=subject&$expand="+url.QueryEscape("attachments($select=id,name,contentType,size,isInline)"), tok, nil)
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	golden(t, "message_expand_attachments", b)
	status, _, b = fx.do(t, "GET", path+"?$select=subject&$expand="+url.QueryEscape("attachments($select=name,microsoft.graph.fileAttachment/contentId)"), tok, nil)
	if status != 200 || !strings.Contains(string(b), `"contentId"`) {
		t.Errorf("contentId cast to fileAttachment: %d %s", status, b)
	}
	status, _, b = fx.do(t, "GET", path+"/attachments?$select=name,size", tok, nil)
	var page struct{ Value []map[string]any }
	_ = json.Unmarshal(b, &page)
	if status != 200 || len(page.Value) != 2 || len(page.Value[0]) != 5 || page.Value[0]["contentBytes"] != nil {
		t.Errorf("attachments with $select: %d %s", status, b)
	}

	tests := []struct{ name, expand, code, message string }{
		{"unknown relationship", "event", "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named 'event' on type 'microsoft.graph.message'."},
		{"unknown nested property", "attachments($select=colour)", "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named 'colour' on type 'microsoft.graph.attachment'."},
		{"fileAttachment property on the base type", "attachments($select=id,contentId)", "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named 'contentId' on type 'microsoft.graph.attachment'."},
		{"not emulated", "extensions", "BadRequest", "$expand=extensions is valid on Graph but not implemented by the emulator; only $expand=attachments is."},
		{"unbalanced", "attachments($select=id", "BadRequest", "Parsing OData Select and Expand failed: unbalanced parentheses in 'attachments($select=id'."},
	}
	for _, tc := range tests {
		status, _, b := fx.do(t, "GET", path+"?$expand="+url.QueryEscape(tc.expand), tok, nil)
		var e errorBody
		_ = json.Unmarshal(b, &e)
		if status != 400 || e.Error.Code != tc.code || e.Error.Message != tc.message {
			t.Errorf("%s: %d %s", tc.name, status, b)
		}
	}
}
