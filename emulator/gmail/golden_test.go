package gmail

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestGoldenResponses pins the wire shape of representative responses. Ids are stable
// because the store's id seed is fixed.
func TestGoldenResponses(t *testing.T) {
	e := newEnv(t)
	full := e.token(testUser, scopeFull)
	ro := e.token(testUser, scopeReadonly)
	inv := e.ids["invoice"]
	tests := []struct {
		file, method, path, token string
		status                    int
	}{
		{"get_full.json", "GET", "/gmail/v1/users/me/messages/" + inv + "?format=full", ro, 200},
		{"get_metadata.json", "GET", "/gmail/v1/users/me/messages/" + inv + "?format=metadata&metadataHeaders=Subject&metadataHeaders=To", ro, 200},
		{"get_minimal.json", "GET", "/gmail/v1/users/me/messages/" + inv + "?format=minimal", ro, 200},
		{"list_inbox.json", "GET", "/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=2", ro, 200},
		{"labels.json", "GET", "/gmail/v1/users/me/labels", ro, 200},
		{"modify.json", "POST", "/gmail/v1/users/me/messages/" + inv + "/modify", full, 200},
		{"error_404.json", "GET", "/gmail/v1/users/me/messages/18aaaaaaaaaaaaaa", ro, 404},
		{"error_400_id.json", "GET", "/gmail/v1/users/me/messages/xyz", ro, 400},
		{"error_401_missing.json", "GET", "/gmail/v1/users/me/profile", "", 401},
		{"error_401_invalid.json", "GET", "/gmail/v1/users/me/profile", "ya29.bogus", 401},
		{"error_403_scope.json", "POST", "/gmail/v1/users/me/messages/" + inv + "/trash", ro, 403},
		{"error_403_delegation.json", "GET", "/gmail/v1/users/" + otherUser + "/profile", ro, 403},
		{"error_404_history.json", "GET", "/gmail/v1/users/me/history?startHistoryId=5", ro, 404},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			var body []byte
			if tc.method == "POST" {
				body = []byte(`{"addLabelIds":["STARRED"],"removeLabelIds":["UNREAD"]}`)
			}
			code, _, got := e.do(tc.method, tc.path, tc.token, body, map[string]string{"Content-Type": "application/json"})
			if code != tc.status {
				t.Errorf("status %d, want %d: %s", code, tc.status, got)
			}
			golden(t, tc.file, got)
		})
	}
}

var boundaryRE = regexp.MustCompile(`batch_[A-Za-z0-9]+`)

func TestBatch(t *testing.T) {
	e := newEnv(t)
	tok := e.token(testUser, scopeModify)
	body := crlf(`--XyZ
Content-Type: application/http
Content-ID: <item1>

GET /gmail/v1/users/me/messages/` + e.ids["welcome"] + `?format=minimal

--XyZ
Content-Type: application/http
Content-ID: <item2>

POST /gmail/v1/users/me/messages/` + e.ids["invoice"] + `/modify HTTP/1.1
Content-Type: application/json
Content-Length: 30

{"removeLabelIds":["UNREAD"]}

--XyZ
Content-Type: application/http
Content-ID: <item3>

GET /gmail/v1/users/me/messages/18aaaaaaaaaaaaaa?format=minimal HTTP/1.1

--XyZ--
`)
	code, hdr, got := e.do("POST", "/batch/gmail/v1", tok, body, map[string]string{"Content-Type": "multipart/mixed; boundary=XyZ"})
	if code != 200 || !boundaryRE.MatchString(hdr.Get("Content-Type")) {
		t.Fatalf("batch: %d %s", code, hdr.Get("Content-Type"))
	}
	golden(t, "batch_response.txt", boundaryRE.ReplaceAll(got, []byte("batch_BOUNDARY")))
	if m, _ := e.store.Get(testUser, e.ids["invoice"]); !m.IsRead {
		t.Errorf("the batched modify did not mark the message read")
	}

	var many bytes.Buffer
	for i := 0; i <= maxBatchParts; i++ {
		many.Write(crlf("--XyZ\nContent-Type: application/http\n\nGET /gmail/v1/users/me/profile\n\n"))
	}
	many.Write(crlf("--XyZ--\n"))
	code, _, got = e.do("POST", "/batch/gmail/v1", tok, many.Bytes(), map[string]string{"Content-Type": "multipart/mixed; boundary=XyZ"})
	if code != 400 || !bytes.Contains(got, []byte("at most 100")) {
		t.Errorf("101 parts: %d %s", code, got)
	}
}
