package gmail

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestQueryBounds: q nested or negated past the bound is refused instead of recursing until
// the goroutine stack overflows (fatal; it used to kill the emulator at 100,000+ levels).
func TestQueryBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		q    string
		ok   bool
	}{
		{"parens at bound", strings.Repeat("(", maxQueryDepth) + "a" + strings.Repeat(")", maxQueryDepth), true},
		{"parens over bound", strings.Repeat("(", maxQueryDepth+1) + "a" + strings.Repeat(")", maxQueryDepth+1), false},
		{"braces over bound", strings.Repeat("{", maxQueryDepth+1) + "a" + strings.Repeat("}", maxQueryDepth+1), false},
		{"negations over bound", strings.Repeat("-", maxQueryDepth+1) + "a", false},
		{"operator groups over bound", strings.Repeat("from:(", maxQueryDepth+1) + "a" + strings.Repeat(")", maxQueryDepth+1), false},
		{"1M parens", strings.Repeat("(", 1_000_000) + "a" + strings.Repeat(")", 1_000_000), false},
		{"long flat query", strings.Repeat("a OR ", 2000) + "a", true},
		{"too long", strings.Repeat("a ", maxQueryLength), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := parseQuery(tc.q, &queryContext{})
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if tc.ok {
				q.match(&doc{text: words("a")}) // the matcher recurses as deep as the parse
			}
		})
	}
}

// TestBatchedDeepQuery sends the attack as it came: a q nested 200,000 levels deep inside a
// batch. The batch answers 200; its call is Gmail's 400 invalidArgument.
func TestBatchedDeepQuery(t *testing.T) {
	e := newEnv(t)
	tok := e.token(testUser, scopeReadonly)
	q := url.QueryEscape(strings.Repeat("(", 200_000) + "a" + strings.Repeat(")", 200_000))
	body := crlf("--XyZ\nContent-Type: application/http\n\nGET /gmail/v1/users/me/messages?q=" + q + "\n\n--XyZ--\n")
	code, _, got := e.do("POST", "/batch/gmail/v1", tok, body, map[string]string{"Content-Type": "multipart/mixed; boundary=XyZ"})
	if code != 200 {
		t.Fatalf("batch: %d %.300s", code, got)
	}
	_, inner, ok := bytes.Cut(got, []byte("\r\n{"))
	var out struct {
		Error apiError `json:"error"`
	}
	if !ok || json.NewDecoder(bytes.NewReader(append([]byte("{"), inner...))).Decode(&out) != nil {
		t.Fatalf("no JSON in the batch answer: %.500s", got)
	}
	if out.Error.Code != 400 || out.Error.Errors[0].Reason != "invalidArgument" {
		t.Fatalf("call answered %+v", out.Error)
	}
}
