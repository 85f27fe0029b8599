package smtp

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
	"github.com/mailscript/mailscript/emulator/store"
)

const welcome = "From: App <app@shop.example>\r\nTo: ana@contoso.com\r\nSubject: Welcome\r\nDate: Mon, 02 Feb 2026 10:00:00 +0000\r\nMessage-ID: <w1@shop.example>\r\n\r\nConfirm: https://shop.example/confirm?token=abc\r\n"

func TestDeliversByEnvelope(t *testing.T) {
	t.Parallel()
	f := start(t, Config{}, false)
	c := f.dial(t)
	// The header names only Ana; the envelope decides, so qa@ (a Bcc) and the stranger get it.
	if err := send(c, "bounces@shop.example", []string{"ana@contoso.com", "QA@example.com", "ANA@contoso.com", "stranger@elsewhere.net"}, welcome); err != nil {
		t.Fatal(err)
	}
	for _, mb := range []string{"ana@contoso.com", "qa@example.com"} {
		ms := f.inbox(t, mb)
		if len(ms) != 1 {
			t.Fatalf("%s has %d messages, want 1 (one copy per mailbox)", mb, len(ms))
		}
		m := ms[0]
		if m.Subject != "Welcome" || m.MessageID != "<w1@shop.example>" || !strings.Contains(m.Text, "token=abc") {
			t.Errorf("%s got subject %q id %q text %q", mb, m.Subject, m.MessageID, m.Text)
		}
		if got := m.Header("Return-Path"); got != "<bounces@shop.example>" {
			t.Errorf("Return-Path = %q", got)
		}
		if got := m.Header("Received"); !strings.HasPrefix(got, "from client.test ([127.0.0.1]) by localhost (mailscript emulator) with ESMTP;") {
			t.Errorf("Received = %q", got)
		}
	}
	sink := f.st.Sink()
	if len(sink) != 1 || sink[0].From != "bounces@shop.example" || strings.Join(sink[0].Recipients, ",") != "stranger@elsewhere.net" || sink[0].Subject != "Welcome" {
		t.Fatalf("sink = %+v", sink)
	}
}

func TestPlusAddress(t *testing.T) {
	t.Parallel()
	f := start(t, Config{}, false)
	if err := send(f.dial(t), "app@shop.example", []string{"Ana+Signup-7f3a@contoso.com"}, welcome); err != nil {
		t.Fatal(err)
	}
	if ms := f.inbox(t, "ana@contoso.com"); len(ms) != 1 {
		t.Fatalf("ana has %d messages, want the plus-addressed one", len(ms))
	}
	if len(f.st.Sink()) != 0 {
		t.Error("plus-addressed mail went to the sink")
	}
}

func TestMalformedMailIsStored(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, msg, wantSubject string }{
		{"no Date or Message-ID", "From: a@shop.example\r\nSubject: bare\r\n\r\nhi\r\n", "bare"},
		{"bare LF", "From: a@shop.example\nSubject: lf\n\nline one\nline two\n", "lf"},
		{"8-bit header", "From: Jos\xc3\xa9 <a@shop.example>\r\nSubject: caf\xc3\xa9 \xff\r\n\r\nhi\r\n", "café ÿ"}, // the stray byte is windows-1252 (internal/mimedecode)
		{"broken MIME", "From: a@shop.example\r\nSubject: mime\r\nContent-Type: multipart/mixed; boundary=\"nope\"\r\nContent-Transfer-Encoding: base64\r\n\r\n--other\r\n!!!not base64\r\n", "mime"},
		{"no header at all", "just a body line\r\n", ""},
	}
	f := start(t, Config{}, false)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := f.dial(t)
			if err := send(c, "a@shop.example", []string{"qa@example.com"}, tc.msg); err != nil {
				t.Fatalf("refused: %v", err)
			}
			var found *store.Message
			for _, m := range f.inbox(t, "qa@example.com") {
				if m.Subject == tc.wantSubject && strings.Contains(string(m.Raw), strings.SplitN(tc.msg, "\n", 2)[0]) {
					found = m
				}
			}
			if found == nil {
				t.Fatal("message not stored")
			}
			if found.Header("Date") == "" || found.MessageID == "" {
				t.Errorf("Date %q / Message-ID %q not added", found.Header("Date"), found.MessageID)
			}
		})
	}
	if err := f.dial(t).Noop(); err != nil {
		t.Fatalf("server stopped serving: %v", err)
	}
}

func TestStartTLSAndPlain(t *testing.T) {
	t.Parallel()
	f := start(t, Config{User: "app", Password: "s3cret"}, true)

	c := f.dial(t)
	if ok, ext := c.Extension("SIZE"); !ok || ext != "36700160" {
		t.Errorf("SIZE = %v %q, want 36700160 (35 MB)", ok, ext)
	}
	for _, ext := range []string{"8BITMIME", "SMTPUTF8", "PIPELINING"} {
		if ok, _ := c.Extension(ext); !ok {
			t.Errorf("%s not advertised", ext)
		}
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS still advertised inside TLS")
	}
	err := c.Mail("app@shop.example")
	if code(err) != 530 {
		t.Fatalf("MAIL without AUTH: %v, want 530", err)
	}
	if err := c.Auth(smtp.PlainAuth("", "app", "wrong", "127.0.0.1")); code(err) != 535 {
		t.Fatalf("wrong password: %v, want 535", err)
	}

	c = f.dial(t)
	if err := c.Auth(smtp.PlainAuth("", "app", "s3cret", "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	if err := send(c, "app@shop.example", []string{"ana@contoso.com"}, welcome); err != nil {
		t.Fatal(err)
	}
	if got := f.inbox(t, "ana@contoso.com")[0].Header("Received"); !strings.Contains(got, "with ESMTPSA for <ana@contoso.com>;") {
		t.Errorf("Received = %q, want ESMTPSA (TLS + AUTH)", got)
	}
}

func TestAuthLogin(t *testing.T) {
	t.Parallel()
	f := start(t, Config{User: "app", Password: "s3cret"}, false)
	r := f.raw(t)
	r.write("EHLO client.test\r\n")
	r.expect("250 ")
	r.write("AUTH LOGIN\r\n")
	r.expect("334 VXNlcm5hbWU6") // "Username:"
	r.write("YXBw\r\n")          // "app"
	r.expect("334 UGFzc3dvcmQ6") // "Password:"
	r.write("czNjcmV0\r\n")      // "s3cret"
	r.expect("235 ")
	r.write("MAIL FROM:<app@shop.example>\r\n")
	r.expect("250 ")
}

func TestXOAUTH2(t *testing.T) {
	t.Parallel()
	f := start(t, Config{User: "app", Password: "s3cret"}, true)
	google := f.st.IssueToken(store.Token{Kind: store.Google, Subject: "qa@example.com"}, time.Hour)
	microsoft := f.st.IssueToken(store.Token{Kind: store.Microsoft, TenantID: f.tnID}, time.Hour)
	expired := f.st.IssueToken(store.Token{Kind: store.Google, Subject: "qa@example.com"}, -time.Minute)
	cases := []struct {
		name, user, token string
		want              int // 0: accepted
	}{
		{"Gmail token for its user", "qa@example.com", google.Value, 0},
		{"Graph token for a mailbox of its tenant", "ana@contoso.com", microsoft.Value, 0},
		{"Gmail token for another user", "ana@contoso.com", google.Value, 535},
		{"expired token", "qa@example.com", expired.Value, 535},
		{"token the emulator never issued", "qa@example.com", "forged", 535},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := f.dial(t)
			err := c.Auth(smtptest.XOAUTH2{User: tc.user, Token: tc.token})
			if code(err) != tc.want {
				t.Fatalf("AUTH XOAUTH2: %v, want %d", err, tc.want)
			}
			if tc.want == 0 {
				if err := send(c, tc.user, []string{tc.user}, welcome); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestSizeLimit(t *testing.T) {
	t.Parallel()
	f := start(t, Config{}, false)
	r := f.raw(t)
	r.write("EHLO client.test\r\n")
	r.expect("250 ")
	r.write("MAIL FROM:<a@shop.example> SIZE=36700161\r\n")
	r.expect("552 5.3.4")

	// A client that ignores SIZE and sends too much anyway.
	c := f.dial(t)
	big := "Subject: big\r\n\r\n" + strings.Repeat(strings.Repeat("x", 998)+"\r\n", MaxMessageBytes/1000+10)
	if err := send(c, "a@shop.example", []string{"qa@example.com"}, big); code(err) != 552 {
		t.Fatalf("oversized DATA: %v, want 552", err)
	}
	if len(f.inbox(t, "qa@example.com")) != 0 {
		t.Error("oversized message was stored")
	}
	if err := send(c, "a@shop.example", []string{"qa@example.com"}, welcome); err != nil {
		t.Fatalf("the connection is unusable after 552: %v", err)
	}
}

func code(err error) int {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	if err != nil {
		return -1
	}
	return 0
}
