package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/google"
	gmailapi "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"
)

func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.KeyDir = t.TempDir()
	s, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func get(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func graphToken(t testing.TB, env map[string]string) string {
	t.Helper()
	cc := clientcredentials.Config{ClientID: env["MAILSCRIPT_M365_CLIENT_ID"], ClientSecret: env["MAILSCRIPT_M365_CLIENT_SECRET"],
		TokenURL: env["MAILSCRIPT_LOGIN_URL"] + "/" + env["MAILSCRIPT_M365_TENANT_ID"] + "/oauth2/v2.0/token", Scopes: []string{"https://graph.microsoft.com/.default"}}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// TestDefaultSeedBothFaces uses only the advertised settings, as a script would: a Graph
// client-credentials token and a Gmail JWT config built from the key file.
func TestDefaultSeedBothFaces(t *testing.T) {
	s := start(t, Config{})
	env := s.Env()
	for _, k := range []string{"MAILSCRIPT_LOGIN_URL", "MAILSCRIPT_GRAPH_URL", "MAILSCRIPT_M365_TENANT_ID", "MAILSCRIPT_M365_CLIENT_ID",
		"MAILSCRIPT_M365_CLIENT_SECRET", "MAILSCRIPT_M365_MAILBOX", "MAILSCRIPT_GMAIL_URL", "MAILSCRIPT_GOOGLE_CREDENTIALS_FILE", "MAILSCRIPT_GOOGLE_USER"} {
		if env[k] == "" {
			t.Errorf("Env()[%s] is empty", k)
		}
	}
	status, body := get(t, env["MAILSCRIPT_GRAPH_URL"]+"/v1.0/users/"+env["MAILSCRIPT_M365_MAILBOX"]+"/mailFolders/inbox/messages?$select=subject", graphToken(t, env))
	if status != 200 || !strings.Contains(body2str(body), "Reset your password") || !strings.Contains(body2str(body), "Votre commande a été expédiée - n° 1042") {
		t.Fatalf("Graph inbox: %d %s", status, body)
	}

	key, err := os.ReadFile(env["MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	conf, err := google.JWTConfigFromJSON(key, gmailapi.GmailModifyScope)
	if err != nil {
		t.Fatal(err)
	}
	conf.Subject = env["MAILSCRIPT_GOOGLE_USER"]
	ctx := context.Background()
	svc, err := gmailapi.NewService(ctx, option.WithHTTPClient(conf.Client(ctx)), option.WithEndpoint(env["MAILSCRIPT_GMAIL_URL"]))
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.Users.Messages.List("me").Q("subject:verification").Do()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Messages) != 1 {
		t.Fatalf("Gmail search found %d messages", len(list.Messages))
	}
	counts := s.Counts()
	if counts["graph GET /v1.0/users/{user}/mailFolders/{id}/messages"] != 1 || counts["gmail GET /gmail/v1/users/{user}/messages"] != 1 {
		t.Errorf("counts = %v", counts)
	}
	if banner := s.Banner(); !strings.Contains(banner, env["MAILSCRIPT_M365_CLIENT_SECRET"]) || !strings.Contains(banner, env["MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"]) ||
		!strings.Contains(banner, "Viewer           "+s.URL()+"/ ") {
		t.Errorf("banner lacks the seeded credentials or the viewer URL:\n%s", banner)
	}
}

func body2str(b []byte) string { return string(b) }

func TestEnvFile(t *testing.T) {
	s := start(t, Config{})
	path := filepath.Join(t.TempDir(), "emulator.env")
	if err := s.WriteEnvFile(path); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	b, _ := os.ReadFile(path)
	if info.Mode().Perm() != 0o600 || !strings.Contains(string(b), "\nMAILSCRIPT_GRAPH_URL="+s.URL()+"\n") {
		t.Errorf("env file (%v):\n%s", info.Mode(), b)
	}
}

func TestInspectionAPI(t *testing.T) {
	s := start(t, Config{})
	inject := `{"from":"Bot <bot@example.net>","subject":"Injected","text":"hello"}`
	resp, err := http.Post(s.URL()+"/_emulator/mailboxes/qa@example.com/messages", "application/json", strings.NewReader(inject))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("inject: %d", resp.StatusCode)
	}
	status, body := get(t, s.URL()+"/_emulator/mailboxes/qa@example.com/messages", "")
	var msgs []map[string]any
	_ = json.Unmarshal(body, &msgs)
	if status != 200 || len(msgs) != 5 || msgs[0]["subject"] != "Injected" {
		t.Fatalf("messages after inject: %d %s", status, body)
	}
	resp, err = http.Post(s.URL()+"/_emulator/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, body = get(t, s.URL()+"/_emulator/mailboxes", "")
	var mbs []map[string]any
	_ = json.Unmarshal(body, &mbs)
	if len(mbs) != 4 || mbs[2]["address"] != "qa@example.com" || mbs[2]["messages"] != 4.0 {
		t.Errorf("mailboxes after reset: %s", body)
	}
	if status, _ := get(t, s.URL()+"/_emulator/mailboxes/nobody@x.y/messages", ""); status != 404 {
		t.Errorf("unknown mailbox: status %d", status)
	}
}

func TestFaults(t *testing.T) {
	s := start(t, Config{Fail: map[int]float64{503: 1}})
	env := s.Env()
	tok := graphToken(t, env) // sign-in is not subject to faults
	status, body := get(t, s.URL()+"/v1.0/users/"+env["MAILSCRIPT_M365_MAILBOX"]+"/messages", tok)
	if status != 503 || !strings.Contains(string(body), `"code":"ServiceUnavailable"`) {
		t.Errorf("graph fault: %d %s", status, body)
	}
	status, body = get(t, s.URL()+"/gmail/v1/users/me/profile", "x")
	if status != 503 || !strings.Contains(string(body), `"status":"UNAVAILABLE"`) {
		t.Errorf("gmail fault: %d %s", status, body)
	}
	if err := s.SetFaults(Faults{Drop: 1}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", s.URL()+"/v1.0/users/x/messages", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("a dropped request got a response")
	}
	if err := s.SetFaults(Faults{Fail: map[int]float64{418: 0.5}}); err == nil {
		t.Error("SetFaults accepted status 418")
	}
}

func TestMailboxConcurrencyLimit(t *testing.T) {
	var l limiter
	if !l.acquire("a", 2) || !l.acquire("a", 2) || l.acquire("a", 2) || !l.acquire("b", 2) {
		t.Fatal("limiter does not count per key")
	}
	l.release("a")
	if !l.acquire("a", 2) {
		t.Error("release did not free a slot")
	}
}

func TestRouteOf(t *testing.T) {
	tests := map[string]string{
		"/v1.0/users/ana%40contoso.com/messages/AAMk=/attachments/AAMk2=/$value": "/v1.0/users/{user}/messages/{id}/attachments/{id}/$value",
		"/v1.0/users/ana@contoso.com/mailFolders/inbox/messages/delta()":         "/v1.0/users/{user}/mailFolders/{id}/messages/delta()",
		"/0000-1111/oauth2/v2.0/token":                                           "/{tenant}/oauth2/v2.0/token",
		"/gmail/v1/users/me/messages/18c0ffee00000000/modify":                    "/gmail/v1/users/{user}/messages/{id}/modify",
		"/google/oauth2/token":                                                   "/google/oauth2/token",
	}
	for in, want := range tests {
		if got := routeOf(in); got != want {
			t.Errorf("routeOf(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestSeedDir(t *testing.T) {
	dir := t.TempDir()
	seed := `{"mailboxes":[{"address":"x@contoso.com","displayName":"X","kind":"microsoft","tenant":"contoso.com"},{"address":"y@example.com","kind":"google"}]}`
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "seed.json"), []byte(seed), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "x@contoso.com", "Receipts"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "x@contoso.com", "a.eml"), []byte("From: a@b.c\r\nTo: x@contoso.com\r\nSubject: in inbox\r\n\r\nhi\r\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "x@contoso.com", "Receipts", "b.eml"), []byte("From: a@b.c\r\nSubject: receipt\r\n\r\nhi\r\n"), 0o644))
	// A folder named as scripts name it is the well-known folder, on both kinds of mailbox.
	// An address folder matches its mailbox in any case, as addresses do.
	for mb, folder := range map[string]string{"x@contoso.com": "x@contoso.com", "y@example.com": "Y@Example.com"} {
		must(os.MkdirAll(filepath.Join(dir, folder, "sent"), 0o755))
		must(os.WriteFile(filepath.Join(dir, folder, "sent", "c.eml"), []byte("From: "+mb+"\r\nSubject: sent\r\n\r\nhi\r\n"), 0o644))
	}
	s := start(t, Config{SeedDir: dir})
	for mb, custom := range map[string]int{"x@contoso.com": 1, "y@example.com": 0} { // Receipts is x's
		sent, err := s.Store().List(mb, storeQuery("sentitems"))
		folders, _ := s.Store().Folders(mb)
		if err != nil || len(sent) != 1 || len(folders) != 7+custom {
			t.Errorf("%s: seed folder sent: %d in sent items (%v), folders %v", mb, len(sent), err, folders)
		}
	}
	inbox, _ := s.Store().List("x@contoso.com", storeQuery("inbox"))
	all, _ := s.Store().List("x@contoso.com", storeQuery(""))
	if len(inbox) != 1 || len(all) != 3 || s.Env()["MAILSCRIPT_M365_MAILBOX"] != "x@contoso.com" || s.Env()["MAILSCRIPT_GOOGLE_USER"] != "y@example.com" {
		t.Errorf("seeded: inbox %d, all %d, env %v", len(inbox), len(all), s.Env())
	}
	// Mail that would be left out silently is refused, saying where it should go.
	for file, want := range map[string]string{
		filepath.Join("nobody@nowhere.example", "a.eml"): "is named after no mailbox (qa-inbox@contoso.com, alex@contoso.com, qa@example.com, sam@example.com)",
		"loose.eml": "a message goes in its mailbox's folder (DIR/<address>/loose.eml)",
	} {
		d := t.TempDir()
		must(os.MkdirAll(filepath.Dir(filepath.Join(d, file)), 0o755))
		must(os.WriteFile(filepath.Join(d, file), []byte("Subject: x\r\n\r\nx\r\n"), 0o644))
		if _, err := Start(context.Background(), Config{SeedDir: d, KeyDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("seed %s: err = %v, want %q", file, err, want)
		}
	}
	bad := t.TempDir()
	must(os.WriteFile(filepath.Join(bad, "seed.json"), []byte(`{"mailbox":[]}`), 0o644))
	if _, err := Start(context.Background(), Config{SeedDir: bad, KeyDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "seed.json") {
		t.Errorf("unknown seed field: err = %v", err)
	}
	if _, err := Start(context.Background(), Config{Addr: "0.0.0.0:0"}); err == nil {
		t.Error("Start accepted a non-loopback address")
	}
}
