package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/smtp"
	"net/url"
	"os"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/google"
	gmailapi "google.golang.org/api/gmail/v1"
	"google.golang.org/api/option"

	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
)

// startTLS serves the default seed over https with a CA in a temporary folder, and returns a
// client that trusts only that CA, as an application given MAILSCRIPT_CA_FILE would.
func startTLS(t *testing.T) (*Server, *http.Client) {
	t.Helper()
	s := start(t, Config{TLS: true, CADir: t.TempDir()})
	pem, err := os.ReadFile(s.Env()["MAILSCRIPT_CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("MAILSCRIPT_CA_FILE holds no certificate")
	}
	return s, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// send delivers over STARTTLS, verified against the CA hc trusts.
func send(s *Server, hc *http.Client, auth smtp.Auth, from string, to []string, msg string) error {
	return smtptest.Send(s.SMTPAddr(), hc.Transport.(*http.Transport).TLSClientConfig.RootCAs, auth, from, to, msg)
}

const signupMail = "From: Shop <no-reply@shop.example>\r\nTo: qa-inbox@contoso.com, qa@example.com, newcomer@customers.example\r\n" +
	"Subject: Confirm your account\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n" +
	"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Welcome! <a href=\"https://shop.example/confirm?token=t0k&amp;x=1\">Confirm</a></p>\r\n" +
	"--b1\r\nContent-Type: text/plain; name=terms.txt\r\nContent-Disposition: attachment; filename=terms.txt\r\n\r\nBe nice.\r\n--b1--\r\n"

// TestSMTPOverTLSReachesEveryFace sends with net/smtp (STARTTLS, XOAUTH2 with a Graph token
// from the https token endpoint) and reads the mail back through Graph, gmail/v1 and the sink.
func TestSMTPOverTLSReachesEveryFace(t *testing.T) {
	t.Parallel()
	s, hc := startTLS(t)
	env := s.Env()
	if !strings.HasPrefix(env["MAILSCRIPT_GRAPH_URL"], "https://") || env["MAILSCRIPT_SMTP_HOST"] != "127.0.0.1" || env["MAILSCRIPT_SMTP_PORT"] == "" {
		t.Fatalf("env = %v", env)
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)
	cc := clientcredentials.Config{ClientID: env["MAILSCRIPT_M365_CLIENT_ID"], ClientSecret: env["MAILSCRIPT_M365_CLIENT_SECRET"],
		TokenURL: env["MAILSCRIPT_LOGIN_URL"] + "/" + env["MAILSCRIPT_M365_TENANT_ID"] + "/oauth2/v2.0/token", Scopes: []string{"https://graph.microsoft.com/.default"}}
	tok, err := cc.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mailbox := env["MAILSCRIPT_M365_MAILBOX"]
	rcpts := []string{mailbox, "qa@example.com", "newcomer@customers.example"}
	if err := send(s, hc, smtptest.XOAUTH2{User: mailbox, Token: "forged"}, mailbox, rcpts, signupMail); err == nil || !strings.Contains(err.Error(), "535") {
		t.Fatalf("XOAUTH2 with a forged token: %v, want 535", err)
	}
	if err := send(s, hc, smtptest.XOAUTH2{User: mailbox, Token: tok.AccessToken}, mailbox, rcpts, signupMail); err != nil {
		t.Fatal(err)
	}

	// Graph over https.
	req, _ := http.NewRequest("GET", env["MAILSCRIPT_GRAPH_URL"]+"/v1.0/users/"+mailbox+"/mailFolders/inbox/messages?"+
		url.Values{"$filter": {"subject eq 'Confirm your account'"}, "$select": {"subject,hasAttachments"}}.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"hasAttachments":true`) {
		t.Fatalf("Graph: %d %s", resp.StatusCode, body)
	}

	// gmail/v1 over https, with the key file's token_uri on the emulator.
	key, err := os.ReadFile(env["MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	conf, err := google.JWTConfigFromJSON(key, gmailapi.GmailReadonlyScope)
	if err != nil {
		t.Fatal(err)
	}
	conf.Subject = "qa@example.com"
	svc, err := gmailapi.NewService(ctx, option.WithHTTPClient(conf.Client(ctx)), option.WithEndpoint(env["MAILSCRIPT_GMAIL_URL"]))
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.Users.Messages.List("me").Q(`subject:"Confirm your account"`).Do()
	if err != nil || len(list.Messages) != 1 {
		t.Fatalf("Gmail: %v %+v", err, list)
	}
	msg, err := svc.Users.Messages.Get("me", list.Messages[0].Id).Format("metadata").MetadataHeaders("Return-Path", "Received").Do()
	if err != nil {
		t.Fatal(err)
	}
	var trace []string
	for _, h := range msg.Payload.Headers {
		trace = append(trace, h.Name+": "+h.Value)
	}
	if got := strings.Join(trace, "\n"); !strings.Contains(got, "Return-Path: <"+mailbox+">") || !strings.Contains(got, "with ESMTPSA;") {
		t.Errorf("Gmail trace headers:\n%s", got)
	}

	// The sink: the customer's copy, parsed.
	var sink []sinkDoc
	getJSON(t, hc, s.URL()+"/_emulator/sink?to=NEWCOMER@customers.example", &sink)
	if len(sink) != 1 {
		t.Fatalf("sink = %+v", sink)
	}
	m := sink[0]
	if m.Subject != "Confirm your account" || m.From != "no-reply@shop.example" || m.EnvelopeFrom != mailbox || len(m.To) != 3 ||
		strings.Join(m.Links, " ") != "https://shop.example/confirm?token=t0k&x=1" || !strings.Contains(m.HTML, "Welcome!") ||
		len(m.Attachments) != 1 || m.Attachments[0].Name != "terms.txt" || m.Attachments[0].Size != len("Be nice.") {
		t.Errorf("sink message = %+v", m)
	}
	resp, err = hc.Get(m.Raw)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(raw), "Return-Path: <"+mailbox+">\r\nReceived: ") || !strings.Contains(string(raw), "Subject: Confirm your account") {
		t.Errorf("raw source:\n%s", raw)
	}
	getJSON(t, hc, s.URL()+"/_emulator/sink?subject=nothing+like+it", &sink)
	if len(sink) != 0 {
		t.Errorf("?subject= filter kept %d messages", len(sink))
	}
	req, _ = http.NewRequest("DELETE", s.URL()+"/_emulator/sink", nil)
	if resp, err = hc.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("DELETE sink: %v %v", err, resp)
	}
	resp.Body.Close()
	getJSON(t, hc, s.URL()+"/_emulator/sink", &sink)
	if len(sink) != 0 {
		t.Errorf("sink after DELETE = %+v", sink)
	}
}

// TestSMTPAuthAndSize covers AUTH PLAIN with --smtp-auth credentials and the SIZE refusal,
// through the emulator's own listener.
func TestSMTPAuthAndSize(t *testing.T) {
	t.Parallel()
	s := start(t, Config{TLS: true, CADir: t.TempDir(), SMTPUser: "app", SMTPPassword: "s3cret"})
	pool := x509.NewCertPool()
	pem, _ := os.ReadFile(s.CAFile())
	pool.AppendCertsFromPEM(pem)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	mail := "Subject: hi\r\n\r\nhello\r\n"
	if err := send(s, hc, smtp.PlainAuth("", "app", "nope", "127.0.0.1"), "a@shop.example", []string{"qa@example.com"}, mail); err == nil || !strings.Contains(err.Error(), "535") {
		t.Fatalf("wrong password: %v, want 535", err)
	}
	if err := send(s, hc, smtp.PlainAuth("", "app", "s3cret", "127.0.0.1"), "a@shop.example", []string{"qa@example.com"}, mail); err != nil {
		t.Fatal(err)
	}

	c, err := smtp.Dial(s.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	id, err := c.Text.Cmd("MAIL FROM:<a@shop.example> SIZE=%d", 40<<20)
	if err != nil {
		t.Fatal(err)
	}
	c.Text.StartResponse(id)
	code, msg, err := c.Text.ReadResponse(250)
	c.Text.EndResponse(id)
	if code != 552 || err == nil {
		t.Fatalf("MAIL FROM with SIZE over 35 MB: %d %s, want 552", code, msg)
	}
}

func getJSON(t *testing.T, hc *http.Client, url string, v any) {
	t.Helper()
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
