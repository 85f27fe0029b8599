package graph

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// TestFolderSelectSDK: $select on folders and child folders is checked against mailFolder.
func TestFolderSelectSDK(t *testing.T) {
	fx := newFixture(t)
	client, _ := fx.sdk(t)
	ctx := context.Background()
	ana := client.Users().ByUserId("ana@contoso.com")
	sel := []string{"id", "displayName", "parentFolderId", "childFolderCount", "unreadItemCount", "totalItemCount", "isHidden"}
	list, err := ana.MailFolders().Get(ctx, &users.ItemMailFoldersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMailFoldersRequestBuilderGetQueryParameters{Select: sel, Top: ptr(int32(50))}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list.GetValue(), func(f models.MailFolderable) bool { return *f.GetDisplayName() == "Inbox" })
	if i < 0 || *list.GetValue()[i].GetTotalItemCount() != 26 || *list.GetValue()[i].GetUnreadItemCount() != 13 {
		t.Fatalf("folders = %d, inbox at %d", len(list.GetValue()), i)
	}
	child := models.NewMailFolder()
	child.SetDisplayName(ptr("Receipts"))
	if _, err := ana.MailFolders().ByMailFolderId("inbox").ChildFolders().Post(ctx, child, nil); err != nil {
		t.Fatal(err)
	}
	kids, err := ana.MailFolders().ByMailFolderId("inbox").ChildFolders().Get(ctx, &users.ItemMailFoldersItemChildFoldersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMailFoldersItemChildFoldersRequestBuilderGetQueryParameters{Select: sel}})
	if err != nil || len(kids.GetValue()) != 1 || *kids.GetValue()[0].GetDisplayName() != "Receipts" || *kids.GetValue()[0].GetParentFolderId() != *list.GetValue()[i].GetId() {
		t.Fatalf("child folders: %v %v", err, kids)
	}
	_, err = ana.MailFolders().Get(ctx, &users.ItemMailFoldersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMailFoldersRequestBuilderGetQueryParameters{Select: []string{"displayName", "subject"}}})
	var odErr *odataerrors.ODataError
	if !asODataError(err, &odErr) || odErr.ResponseStatusCode != 400 ||
		*odErr.GetErrorEscaped().GetMessage() != "Parsing OData Select and Expand failed: Could not find a property named 'subject' on type 'microsoft.graph.mailFolder'." {
		t.Errorf("select of a message property on folders: %v", err)
	}
}

func TestFolderQueries(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	base := "/v1.0/users/ana@contoso.com/mailFolders"
	status, _, b := fx.do(t, "GET", base+"?$select=displayName,totalItemCount&$filter="+url.QueryEscape("totalItemCount gt 0 or displayName eq 'Drafts'"), tok, nil)
	if status != 200 {
		t.Fatalf("filter: %d %s", status, b)
	}
	golden(t, "mail_folders_select_filter", b)

	tests := []struct{ name, query, message string }{
		{"beta-only property", "?$select=id,wellKnownName", "Parsing OData Select and Expand failed: Could not find a property named 'wellKnownName' on type 'microsoft.graph.mailFolder'."},
		{"beta-only size", "/inbox?$select=sizeInBytes", "Parsing OData Select and Expand failed: Could not find a property named 'sizeInBytes' on type 'microsoft.graph.mailFolder'."},
		{"unknown expand", "?$expand=attachments", "Parsing OData Select and Expand failed: Could not find a property named 'attachments' on type 'microsoft.graph.mailFolder'."},
		{"unknown filter property", "?$filter=" + url.QueryEscape("isRead eq true"), "Could not find a property named 'isRead' on type 'microsoft.graph.mailFolder'."},
	}
	for _, tc := range tests {
		status, _, b := fx.do(t, "GET", base+tc.query, tok, nil)
		var e errorBody
		_ = json.Unmarshal(b, &e)
		if status != 400 || e.Error.Code != "BadRequest" || e.Error.Message != tc.message {
			t.Errorf("%s: %d %s", tc.name, status, b)
		}
	}
	status, _, b = fx.do(t, "GET", base+"/inbox?$select=displayName", tok, nil)
	if status != 200 || strings.Contains(string(b), "totalItemCount") || !strings.Contains(string(b), `"displayName":"Inbox"`) {
		t.Errorf("get with select: %d %s", status, b)
	}
}
