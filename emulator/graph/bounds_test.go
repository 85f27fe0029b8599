package graph

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// nested wraps inner in n levels of open/close.
func nested(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// TestQueryNestingBounds: deep $search and $filter input is refused with 400 BadRequest
// instead of recursing until the goroutine stack overflows (a fatal error that used to kill
// the emulator at 100,000+ levels), and nesting within the bound still works.
func TestQueryNestingBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		parse func() *apiError
		ok    bool
	}{
		{"search parens at bound", func() *apiError { _, e := parseSearch(nested("(", "order", ")", maxSearchDepth)); return e }, true},
		{"search parens over bound", func() *apiError { _, e := parseSearch(nested("(", "order", ")", maxSearchDepth+1)); return e }, false},
		{"search NOT chain", func() *apiError { _, e := parseSearch(strings.Repeat("NOT ", 200) + "order"); return e }, false},
		{"search minus chain", func() *apiError { _, e := parseSearch(strings.Repeat("-", 200) + "order"); return e }, false},
		{"search 1M parens", func() *apiError { _, e := parseSearch(nested("(", "a", ")", 1_000_000)); return e }, false},
		{"search too long", func() *apiError { _, e := parseSearch(strings.Repeat("a ", maxSearchLength)); return e }, false},
		{"filter parens at bound", func() *apiError {
			_, e := parseFilter(nested("(", "isRead eq true", ")", maxFilterDepth))
			return e
		}, true},
		{"filter parens over bound", func() *apiError { _, e := parseFilter(nested("(", "isRead eq true", ")", maxFilterDepth+1)); return e }, false},
		{"filter not chain", func() *apiError { _, e := parseFilter(strings.Repeat("not ", 200) + "isRead eq true"); return e }, false},
		{"filter 1M parens", func() *apiError { _, e := parseFilter(nested("(", "isRead eq true", ")", 1_000_000)); return e }, false},
		{"filter nested any", func() *apiError {
			_, e := parseFilter(nested("toRecipients/any(r:", "r/emailAddress/address eq 'a'", ")", 200))
			return e
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := tc.parse()
			switch {
			case tc.ok && e != nil:
				t.Fatalf("refused: %v", e)
			case !tc.ok && (e == nil || e.Status != 400 || e.Code != "BadRequest"):
				t.Fatalf("got %v, want 400 BadRequest", e)
			case !tc.ok && len(e.Message) > 2*maxSearchLength:
				t.Fatalf("the error echoes %d bytes of input", len(e.Message))
			}
		})
	}
}

// TestBatchedDeepSearch sends the attack as it came: a $search nested 200,000 levels deep in
// a JSON batch, where no URL length limit applies. The batch answers; the call inside is 400.
func TestBatchedDeepSearch(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	search := url.QueryEscape(`"` + nested("(", "order", ")", 200_000) + `"`)
	body, _ := json.Marshal(map[string]any{"requests": []map[string]string{
		{"id": "1", "method": "GET", "url": "/users/ana@contoso.com/messages?$search=" + search},
	}})
	status, _, b := fx.do(t, "POST", "/v1.0/$batch", tok, strings.NewReader(string(body)))
	var out struct {
		Responses []struct {
			Status int `json:"status"`
			Body   struct {
				Error struct{ Code, Message string } `json:"error"`
			} `json:"body"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(b, &out); err != nil || status != 200 || len(out.Responses) != 1 {
		t.Fatalf("%d %.300s", status, b)
	}
	if r := out.Responses[0]; r.Status != 400 || r.Body.Error.Code != "BadRequest" || !strings.Contains(r.Body.Error.Message, "4096") {
		t.Fatalf("call answered %d %+v", r.Status, r.Body.Error)
	}
}
