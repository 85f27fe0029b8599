package smtp

import (
	"context"
	"crypto/tls"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/certs"
	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
	"github.com/mailscript/mailscript/emulator/store"
)

type fixture struct {
	st   *store.Store
	srv  *Server
	ca   *certs.CA // nil without TLS
	tnID string
}

// start serves a store with a Microsoft mailbox (ana@contoso.com) and a Google one
// (qa@example.com); withTLS turns STARTTLS on with a CA in a temporary folder.
func start(t *testing.T, cfg Config, withTLS bool) *fixture {
	t.Helper()
	st := store.New(store.Options{IDSeed: "smtp-test"})
	tn, err := st.AddTenant(store.Tenant{Domains: []string{"contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, mb := range []store.Mailbox{
		{Address: "ana@contoso.com", Kind: store.Microsoft, TenantID: tn.ID},
		{Address: "qa@example.com", Kind: store.Google},
	} {
		if _, err := st.AddMailbox(mb); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{st: st, tnID: tn.ID}
	if withTLS {
		if f.ca, err = certs.LoadOrCreateCA(t.TempDir()); err != nil {
			t.Fatal(err)
		}
		leaf, err := f.ca.Leaf()
		if err != nil {
			t.Fatal(err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	}
	cfg.Addr = "127.0.0.1:0"
	if f.srv, err = Start(context.Background(), st, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.srv.Close() })
	return f
}

// dial opens a client that has said EHLO, after STARTTLS when the fixture has TLS.
func (f *fixture) dial(t *testing.T) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(f.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if f.ca != nil {
		if err := c.StartTLS(&tls.Config{RootCAs: f.ca.Pool(), ServerName: "127.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// send runs one transaction and returns the error of the first step that failed.
func send(c *smtp.Client, from string, to []string, msg string) error {
	return smtptest.Transact(c, from, to, msg)
}

// inbox returns the messages of a mailbox's inbox, newest first.
func (f *fixture) inbox(t *testing.T, mailbox string) []*store.Message {
	t.Helper()
	ms, err := f.st.List(mailbox, store.Query{Folder: store.Inbox})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// raw talks SMTP by hand, for what net/smtp will not send: it writes lines and returns the
// server's next reply line.
type raw struct {
	t    *testing.T
	conn net.Conn
	buf  []byte
}

func (f *fixture) raw(t *testing.T) *raw {
	t.Helper()
	conn, err := net.Dial("tcp", f.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	r := &raw{t: t, conn: conn}
	r.expect("220 ")
	return r
}

func (r *raw) write(s string) {
	r.t.Helper()
	if _, err := r.conn.Write([]byte(s)); err != nil {
		r.t.Fatal(err)
	}
}

// reply reads one final reply line (skipping "250-" continuation lines).
func (r *raw) reply() string {
	r.t.Helper()
	_ = r.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	for {
		if i := strings.Index(string(r.buf), "\r\n"); i >= 0 {
			line := string(r.buf[:i])
			r.buf = r.buf[i+2:]
			if len(line) >= 4 && line[3] == '-' {
				continue
			}
			return line
		}
		b := make([]byte, 4096)
		n, err := r.conn.Read(b)
		if err != nil {
			return "read error: " + err.Error()
		}
		r.buf = append(r.buf, b[:n]...)
	}
}

func (r *raw) expect(prefix string) string {
	r.t.Helper()
	line := r.reply()
	if !strings.HasPrefix(line, prefix) {
		r.t.Fatalf("reply %q, want %q...", line, prefix)
	}
	return line
}
