package gmail

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
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

// TestDeepMessageRefused: a message nested 5,000 levels deep used to be stored, and reading it
// answered 200 with an empty body. It is refused on the way in with Gmail's 400.
func TestDeepMessageRefused(t *testing.T) {
	e := newEnv(t)
	tok := e.token(testUser, scopeFull)
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nTo: " + testUser + "\r\nSubject: deep\r\nMIME-Version: 1.0\r\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nx\r\n")
	for i := 4999; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	code, _, got := e.do("POST", "/upload/gmail/v1/users/me/messages/send?uploadType=media", tok, []byte(b.String()),
		map[string]string{"Content-Type": "message/rfc822"})
	var out struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal(got, &out); err != nil || code != 400 || out.Error.Errors[0].Reason != "invalidArgument" ||
		!strings.Contains(out.Error.Message, "nest deeper than 100") {
		t.Fatalf("%d %.300s", code, got)
	}
}

// TestWriteJSONFailure: a value that cannot be encoded gives the client Gmail's 500 with a body,
// not a 200 with nothing after the headers.
func TestWriteJSONFailure(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	writeJSON(w, 200, map[string]any{"bad": math.NaN()})
	var out struct {
		Error apiError `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 500 || out.Error.Code != 500 || out.Error.Errors[0].Reason != "backendError" {
		t.Fatalf("%d %q", w.Code, w.Body.Bytes())
	}
}
