package emulator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/google"
	gmailapi "google.golang.org/api/gmail/v1"
)

func TestDraw(t *testing.T) {
	f := Faults{Fail: map[int]float64{429: 0.1, 503: 0.2}, Drop: 0.1, DropAfter: 0.3}
	tests := []struct {
		roll float64
		want outcome
	}{
		{0.05, outcome{status: 429}},
		{0.15, outcome{status: 503}},
		{0.35, outcome{drop: true}},
		{0.45, outcome{dropAfter: true}},
		{0.65, outcome{dropAfter: true}},
		{0.75, outcome{}},
	}
	for _, tt := range tests {
		if got := f.draw(func() float64 { return tt.roll }); got != tt.want {
			t.Errorf("draw(%v) = %+v, want %+v", tt.roll, got, tt.want)
		}
	}
	if err := (&Faults{Drop: 0.5, DropAfter: 0.6}).validate(); err == nil || !strings.Contains(err.Error(), "drop-after") {
		t.Errorf("validate of rates over 1: %v", err)
	}
}

func TestKindOf(t *testing.T) {
	tests := map[string]requestKind{
		"/v1.0/users/a@b.c/messages":                                 apiRequest,
		"/api/v2.0/Users('x')/Messages('y')/AttachmentSessions('z')": apiRequest,
		"/upload/gmail/v1/users/me/messages/send":                    apiRequest,
		"/batch/gmail/v1":                                            apiRequest,
		"/contoso.com/oauth2/v2.0/token":                             tokenRequest,
		"/google/oauth2/token":                                       tokenRequest,
		"/contoso.com/v2.0/.well-known/openid-configuration":         signInRequest,
		"/common/discovery/instance":                                 signInRequest,
	}
	for path, want := range tests {
		if got := kindOf(path); got != want {
			t.Errorf("kindOf(%s) = %d, want %d", path, got, want)
		}
	}
}

// TestMailboxKey: every way of naming one mailbox shares one concurrency limit.
func TestMailboxKey(t *testing.T) {
	s := start(t, Config{})
	gtok := gmailToken(t, s.Env())
	qa, _ := s.Store().Mailbox("qa@example.com")
	inbox, _ := s.Store().Mailbox("qa-inbox@contoso.com")
	tests := []struct{ path, token, want string }{
		{"/gmail/v1/users/me/messages", gtok, "gmail " + qa.ID},
		{"/gmail/v1/users/QA@Example.com/messages", "", "gmail " + qa.ID},
		{"/upload/gmail/v1/users/me/messages/send?access_token=" + gtok, "", "gmail " + qa.ID},
		{"/gmail/v1/users/me/messages", "unknown", ""},
		{"/batch/gmail/v1", gtok, ""},
		{"/v1.0/users/qa-inbox%40contoso.com/messages", "", "graph " + inbox.ID},
		{"/v1.0/users/" + inbox.ID + "/messages", "", "graph " + inbox.ID},
		{"/api/v2.0/Users('" + inbox.ID + "')/Messages('m')/AttachmentSessions('s')", "", "graph " + inbox.ID},
		{"/v1.0/$batch", "", ""},
	}
	for _, tt := range tests {
		face := strings.SplitN(tt.want+" gmail", " ", 2)[0]
		if strings.Contains(tt.path, "/v1.0/") || strings.Contains(tt.path, "/api/") {
			face = "graph"
		}
		r, _ := http.NewRequest("GET", s.URL()+tt.path, nil)
		if tt.token != "" {
			r.Header.Set("Authorization", "Bearer "+tt.token)
		}
		if got := s.mailboxKey(face, r); got != tt.want {
			t.Errorf("mailboxKey(%s) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestDropAfter: the request takes effect, but the client gets no answer.
func TestDropAfter(t *testing.T) {
	s := start(t, Config{DropAfter: 1})
	env := s.Env()
	raw := base64.URLEncoding.EncodeToString([]byte("From: qa@example.com\r\nTo: sam@example.com\r\nSubject: lost answer gmail\r\n\r\nhi\r\n"))
	tests := []struct {
		name, path, token, body, to, subject string
	}{
		{"gmail send", "/gmail/v1/users/me/messages/send", gmailToken(t, env), `{"raw":"` + raw + `"}`, "sam@example.com", "lost answer gmail"},
		{"graph sendMail", "/v1.0/users/" + env["MAILSCRIPT_M365_MAILBOX"] + "/sendMail", graphToken(t, env),
			`{"message":{"subject":"lost answer graph","body":{"contentType":"Text","content":"hi"},"toRecipients":[{"emailAddress":{"address":"alex@contoso.com"}}]}}`,
			"alex@contoso.com", "lost answer graph"},
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // no silent retry on a reused connection
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", s.URL()+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tt.token)
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
				t.Fatalf("got an answer: %d", resp.StatusCode)
			}
			msgs, err := s.Store().List(tt.to, storeQuery("inbox"))
			if err != nil || len(msgs) == 0 || msgs[0].Subject != tt.subject {
				t.Fatalf("the request did not take effect: %v %v", msgs, err)
			}
		})
	}
}

// TestInjectedRetryAfter: Graph advises when to retry an injected 429 or 503, Gmail does not.
func TestInjectedRetryAfter(t *testing.T) {
	s := start(t, Config{})
	tests := []struct {
		status     int
		path, want string
	}{
		{429, "/v1.0/users/x/messages", "1"},
		{503, "/v1.0/users/x/messages", "1"},
		{500, "/v1.0/users/x/messages", ""},
		{429, "/gmail/v1/users/me/profile", ""},
		{503, "/gmail/v1/users/me/profile", ""},
	}
	for _, tt := range tests {
		if err := s.SetFaults(Faults{Fail: map[int]float64{tt.status: 1}}); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(s.URL() + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status || resp.Header.Get("Retry-After") != tt.want {
			t.Errorf("%d on %s: got %d, Retry-After %q, want %q", tt.status, tt.path, resp.StatusCode, resp.Header.Get("Retry-After"), tt.want)
		}
	}
}

// TestSignInFaults: with SignIn set, token requests fail in the OAuth shape each service uses;
// the client libraries return it as a RetrieveError.
func TestSignInFaults(t *testing.T) {
	s := start(t, Config{Fail: map[int]float64{503: 1}, FaultSignIn: true})
	env := s.Env()
	key, err := os.ReadFile(env["MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := google.JWTConfigFromJSON(key, gmailapi.GmailModifyScope)
	if err != nil {
		t.Fatal(err)
	}
	jwt.Subject = env["MAILSCRIPT_GOOGLE_USER"]
	cc := clientcredentials.Config{ClientID: env["MAILSCRIPT_M365_CLIENT_ID"], ClientSecret: env["MAILSCRIPT_M365_CLIENT_SECRET"],
		TokenURL: env["MAILSCRIPT_LOGIN_URL"] + "/" + env["MAILSCRIPT_M365_TENANT_ID"] + "/oauth2/v2.0/token", Scopes: []string{"https://graph.microsoft.com/.default"},
		AuthStyle: oauth2.AuthStyleInParams} // one request: auto-detection would retry the other style
	tests := []struct {
		name            string
		src             oauth2.TokenSource
		code, retry, in string
	}{
		{"entra", cc.TokenSource(context.Background()), "temporarily_unavailable", "1", "AADSTS90033"},
		{"google", jwt.TokenSource(context.Background()), "temporarily_unavailable", "", "Backend Error"},
	}
	for _, tt := range tests {
		_, err := tt.src.Token()
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.Response.StatusCode != 503 || !strings.Contains(string(re.Body), `"error":"`+tt.code+`"`) ||
			re.Response.Header.Get("Retry-After") != tt.retry || !strings.Contains(string(re.Body), tt.in) {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
	if got := s.Totals()["graph"].SignIn + s.Totals()["gmail"].SignIn; got != 2 {
		t.Errorf("sign-in requests counted: %d, want 2", got)
	}
}

// TestUploadSessionFaults: chunk PUTs to an upload URL fail like API requests, and the session
// survives the failure.
func TestUploadSessionFaults(t *testing.T) {
	s := start(t, Config{})
	env := s.Env()
	tok := graphToken(t, env)
	call := func(method, url, body string, hdr ...string) (int, map[string]any) {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if strings.Contains(url, "/v1.0/") {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var doc map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&doc)
		return resp.StatusCode, doc
	}
	msgs := s.URL() + "/v1.0/users/" + env["MAILSCRIPT_M365_MAILBOX"] + "/messages"
	_, draft := call("POST", msgs, `{"subject":"with upload"}`)
	status, session := call("POST", msgs+"/"+draft["id"].(string)+"/attachments/createUploadSession",
		`{"AttachmentItem":{"attachmentType":"file","name":"a.bin","size":4}}`)
	upload, _ := session["uploadUrl"].(string)
	if status != 201 || upload == "" {
		t.Fatalf("createUploadSession: %d %v", status, session)
	}
	_ = s.SetFaults(Faults{Fail: map[int]float64{500: 1}})
	if status, _ := call("PUT", upload, "abcd", "Content-Range", "bytes 0-3/4"); status != 500 {
		t.Errorf("faulted chunk PUT: %d, want 500", status)
	}
	_ = s.SetFaults(Faults{})
	if status, doc := call("GET", upload, ""); status != 200 || !strings.Contains(fmt.Sprint(doc["nextExpectedRanges"]), "0-") {
		t.Errorf("session after the failure: %d %v", status, doc)
	}
}
