package smtp

import (
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// Each case misbehaves on its own connection; afterwards the server must still deliver mail
// from a well-behaved client.
func TestBadClientsLeaveServerServing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(t *testing.T, f *fixture)
	}{
		{"disconnect mid-DATA", func(t *testing.T, f *fixture) {
			r := f.raw(t)
			r.write("EHLO client.test\r\nMAIL FROM:<a@shop.example>\r\nRCPT TO:<qa@example.com>\r\nDATA\r\n")
			r.expect("250 ")
			r.expect("250 ")
			r.expect("250 ")
			r.expect("354 ")
			r.write("Subject: half\r\n\r\nthe first half of a mess")
			r.conn.Close()
		}},
		{"10,000 RCPT commands", func(t *testing.T, f *fixture) {
			r := f.raw(t)
			r.write("EHLO client.test\r\nMAIL FROM:<a@shop.example>\r\n")
			r.expect("250 ")
			r.expect("250 ")
			go func() { // pipelined: the server answers while the client writes
				var b strings.Builder
				for i := range 10000 {
					fmt.Fprintf(&b, "RCPT TO:<user%d@elsewhere.net>\r\n", i)
				}
				_, _ = r.conn.Write([]byte(b.String()))
			}()
			for i := range 10000 {
				line := r.reply()
				want := "250 "
				if i >= MaxRecipients {
					want = "452 4.5.3"
				}
				if !strings.HasPrefix(line, want) {
					t.Fatalf("RCPT %d: %q, want %q", i+1, line, want)
				}
			}
		}},
		{"a 1 MB line", func(t *testing.T, f *fixture) {
			r := f.raw(t)
			r.write("EHLO client.test\r\n")
			r.expect("250 ")
			go func() { _, _ = r.conn.Write([]byte("NOOP " + strings.Repeat("x", 1<<20) + "\r\n")) }()
			r.expect("500 5.4.0")
		}},
		{"a 1 MB line inside DATA", func(t *testing.T, f *fixture) {
			r := f.raw(t)
			r.write("EHLO client.test\r\nMAIL FROM:<a@shop.example>\r\nRCPT TO:<qa@example.com>\r\nDATA\r\n")
			for _, want := range []string{"250 ", "250 ", "250 ", "354 "} {
				r.expect(want)
			}
			go func() {
				_, _ = r.conn.Write([]byte("Subject: long\r\n\r\n" + strings.Repeat("y", 1<<20) + "\r\n.\r\n"))
			}()
			r.expect("5")
		}},
		{"a TLS handshake on the plain port", func(t *testing.T, f *fixture) {
			conn, err := net.Dial("tcp", f.srv.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
			err = tls.Client(conn, &tls.Config{ServerName: "127.0.0.1"}).Handshake()
			if err == nil || !strings.Contains(err.Error(), "first record does not look like a TLS handshake") {
				t.Fatalf("handshake: %v, want the client to see a plain-text SMTP greeting", err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := start(t, Config{}, false)
			tc.run(t, f)
			if err := send(f.dial(t), "a@shop.example", []string{"qa@example.com"}, welcome); err != nil {
				t.Fatalf("a good client after it: %v", err)
			}
			ms := f.inbox(t, "qa@example.com")
			if len(ms) != 1 || ms[0].Subject != "Welcome" {
				t.Fatalf("inbox holds %d messages; want only the good client's", len(ms))
			}
		})
	}
}
