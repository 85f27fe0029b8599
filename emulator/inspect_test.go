package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func put(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("PUT", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&b)
	return resp.StatusCode, b
}

func TestInspectFaults(t *testing.T) {
	s := start(t, Config{})
	tests := []struct {
		body   string
		status int
		want   Faults
	}{
		{`{"latency":"5ms","fail":{"503":0.1},"dropAfter":0.2,"signIn":true}`, 200,
			Faults{Latency: 5e6, Fail: map[int]float64{503: 0.1}, DropAfter: 0.2, SignIn: true}},
		{`{"drop_after":0.2}`, 400, Faults{}},
		{`{"drop":0.5,"dropAfter":0.6}`, 400, Faults{}},
	}
	for _, tt := range tests {
		_ = s.SetFaults(Faults{})
		status, body := put(t, s.URL()+"/_emulator/faults", tt.body)
		got := s.CurrentFaults()
		if status != tt.status || got.DropAfter != tt.want.DropAfter || got.SignIn != tt.want.SignIn || got.Latency != tt.want.Latency || len(got.Fail) != len(tt.want.Fail) {
			t.Errorf("PUT %s: %d %s, faults now %+v", tt.body, status, body, got)
		}
	}
	_ = s.SetFaults(Faults{DropAfter: 0.25, SignIn: true})
	if _, body := get(t, s.URL()+"/_emulator/faults", ""); !strings.Contains(string(body), `"dropAfter": 0.25`) || !strings.Contains(string(body), `"signIn": true`) {
		t.Errorf("GET faults: %s", body)
	}
}

func TestInspectTotals(t *testing.T) {
	s := start(t, Config{})
	env := s.Env()
	tok := graphToken(t, env)
	get(t, s.URL()+"/v1.0/users/"+env["MAILSCRIPT_M365_MAILBOX"]+"/messages", tok)
	get(t, s.URL()+"/_emulator/mailboxes", "")
	status, body := get(t, s.URL()+"/_emulator/counts/totals", "")
	var totals map[string]Totals
	if err := json.Unmarshal(body, &totals); err != nil || status != 200 {
		t.Fatalf("totals: %d %s", status, body)
	}
	if want := (Totals{Requests: 1, Calls: 1, SignIn: 1}); totals["graph"] != want || totals["gmail"] != (Totals{}) {
		t.Errorf("totals = %+v, want graph %+v and gmail zero", totals, want)
	}
}

// TestInspectFolderNames: ?folder= takes the names scripts use on both faces' mailboxes, in any
// case, as well as Graph's well-known names, Gmail's label ids and display names; a 404 lists them.
func TestInspectFolderNames(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	msgs := func(address, folder string) (int, []map[string]any, string) {
		status, body := get(t, s.URL()+"/_emulator/mailboxes/"+address+"/messages?folder="+url.QueryEscape(folder), "")
		var out []map[string]any
		_ = json.Unmarshal(body, &out)
		return status, out, string(body)
	}
	for _, address := range []string{"qa-inbox@contoso.com", "qa@example.com"} {
		for i, tc := range []struct{ post, get []string }{
			{[]string{"sent", "SENT", "Sent"}, []string{"sent", "Sent", "sentitems", "SENT"}},
			{[]string{"trash", "deleted", "deleteditems"}, []string{"Trash", "deleteditems"}},
			{[]string{"junk", "spam"}, []string{"JUNK", "spam", "junkemail"}},
			{[]string{"drafts", "Drafts"}, []string{"drafts", "DRAFTS"}},
			{[]string{"archive"}, []string{"Archive"}},
			{[]string{"Inbox"}, []string{"inbox", "INBOX"}},
		} {
			subject := fmt.Sprintf("folder case %d", i)
			for _, folder := range tc.post {
				resp, err := http.Post(s.URL()+"/_emulator/mailboxes/"+address+"/messages?folder="+folder, "application/json",
					strings.NewReader(`{"from":"bot@example.net","subject":"`+subject+`"}`))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 201 {
					t.Fatalf("%s: POST ?folder=%s: %d", address, folder, resp.StatusCode)
				}
			}
			for _, folder := range tc.get {
				status, got, body := msgs(address, folder)
				n := 0
				for _, m := range got {
					if m["subject"] == subject {
						n++
					}
				}
				if status != 200 || n != len(tc.post) {
					t.Errorf("%s: GET ?folder=%s: status %d, %d of %d injected: %s", address, folder, status, n, len(tc.post), body)
				}
			}
		}
		status, _, body := msgs(address, "sentt")
		if status != 404 || !strings.Contains(body, `folder \"sentt\"`) || !strings.Contains(body, "inbox, sent, drafts, trash, junk, archive") {
			t.Errorf("%s: unknown folder: %d %s", address, status, body)
		}
	}
}

// TestInspectMailboxesFaceNames: a Google mailbox lists its folders as Gmail names them, without
// the store-only outbox; a Microsoft one keeps Exchange's names.
func TestInspectMailboxesFaceNames(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	_, body := get(t, s.URL()+"/_emulator/mailboxes", "")
	var mbs []struct {
		Address string
		Folders []struct{ ID, Name, WellKnown string }
	}
	if err := json.Unmarshal(body, &mbs); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"qa@example.com":       "INBOX=Inbox;SENT=Sent;DRAFT=Drafts;TRASH=Trash;SPAM=Spam;ARCHIVE=Archive",
		"qa-inbox@contoso.com": "inbox=Inbox;sentitems=Sent Items;drafts=Drafts;deleteditems=Deleted Items;junkemail=Junk Email;archive=Archive;outbox=Outbox",
	}
	for _, mb := range mbs {
		w, ok := want[mb.Address]
		if !ok {
			continue
		}
		delete(want, mb.Address)
		got := map[string]string{}
		for _, f := range mb.Folders {
			key := f.WellKnown
			if strings.HasPrefix(mb.Address, "qa@") {
				key = f.ID
			}
			got[key] = f.Name
		}
		for _, kv := range strings.Split(w, ";") {
			k, v, _ := strings.Cut(kv, "=")
			if got[k] != v {
				t.Errorf("%s: folder %s named %q, want %q (all: %v)", mb.Address, k, got[k], v, got)
			}
		}
		if len(got) != len(strings.Split(w, ";")) {
			t.Errorf("%s: folders %v, want exactly %s", mb.Address, got, w)
		}
	}
	if len(want) != 0 {
		t.Errorf("mailboxes missing: %v", want)
	}
}
