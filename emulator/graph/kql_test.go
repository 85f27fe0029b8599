package graph

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// TestSearchKQL: the fixture has 25 "Order NN" mails from shop@example.net ("Your order NN
// shipped.", received 2026-03-03 10:NN) and one from Jörg with attachments, cc Ben.
func TestSearchKQL(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	tests := []struct {
		search string
		want   int
	}{
		{`"subject:order AND body:shipped"`, 25},
		{`"order AND shipped"`, 25},
		{`"order and shipped"`, 0}, // lower-case "and" is a word to find
		{`"subject:order AND NOT subject:\"order 01\""`, 24},
		{`"from:shop -subject:\"order 00\""`, 24},
		{`"subject:\"order 01\" OR subject:\"order 02\""`, 2},
		{`"subject:order subject:bestätigungscode"`, 26}, // same property: union
		{`"subject:order from:joerg"`, 0},                // different properties: intersection
		{`"(subject:order OR from:joerg) AND hasAttachments:true"`, 1},
		{`"received:2026-03-04"`, 1},
		{`"received:03/03/2026"`, 25},
		{`"received>=2026-03-03T10:20:00Z"`, 6},
		{`"received:2026-03-01..2026-03-03"`, 25},
		{`"participants:ben"`, 1},
		{`"recipients:\"Ana Lima\""`, 1},
		{`"attachment:invoice"`, 1},
		{`"importance:high"`, 1},
		{`"kind:email"`, 26},
		{`"kind:voicemail"`, 0},
		{`"size>100000"`, 0},
		{`"4829"`, 1}, // word prefix
		{`"829"`, 0},  // not a word start
		{`pizza`, 0},
	}
	for _, tc := range tests {
		status, _, b := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/messages?$top=100&$search="+url.QueryEscape(tc.search), tok, nil)
		var out struct{ Value []map[string]any }
		if err := json.Unmarshal(b, &out); err != nil || status != 200 {
			t.Errorf("%s: %d %s", tc.search, status, b)
			continue
		}
		if len(out.Value) != tc.want {
			t.Errorf("%s: %d messages, want %d", tc.search, len(out.Value), tc.want)
		}
	}
	bad := []struct{ search, message string }{
		{`"(subject:order"`, `Syntax error in $search '"(subject:order"': missing ')'.`},
		{`"subject:order AND"`, `Syntax error in $search '"subject:order AND"': an operator needs an expression after it.`},
		{`"subject:\"abc"`, `Syntax error in $search '"subject:\"abc"': unterminated quoted phrase.`},
		{`"received:soon"`, `Syntax error in $search '"received:soon"': invalid date 'soon' (use YYYY-MM-DD, MM/DD/YYYY or YYYY-MM-DDThh:mm:ssZ).`},
		{`""`, `Syntax error in $search '""': the query is empty.`},
	}
	for _, tc := range bad {
		status, _, b := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/messages?$search="+url.QueryEscape(tc.search), tok, nil)
		var e errorBody
		_ = json.Unmarshal(b, &e)
		if status != 400 || e.Error.Code != "BadRequest" || e.Error.Message != tc.message {
			t.Errorf("%s: %d %s", tc.search, status, b)
		}
	}
}

func TestSearchSDK(t *testing.T) {
	fx := newFixture(t)
	client, _ := fx.sdk(t)
	list, err := client.Users().ByUserId("ana@contoso.com").Messages().Get(context.Background(), &users.ItemMessagesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Search: ptr(`"subject:order AND body:shipped NOT subject:\"order 07\""`), Top: ptr(int32(100))}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(list.GetValue()); n != 24 {
		t.Errorf("SDK $search returned %d messages, want 24", n)
	}
}
