package parity

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

func encode(t *testing.T, enc encoding.Encoding, s string) string {
	t.Helper()
	b, err := enc.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSameMessageReadsTheSame puts the same RFC 5322 bytes in the Graph and the Gmail mailbox
// and compares what read and list give, field by field: a script must not care which service
// holds the mail.
func TestSameMessageReadsTheSame(t *testing.T) {
	t.Parallel()
	b := start(t)
	jaHTML := "<html><body><p>パスワードの再設定</p><p><a href=\"https://example.jp/reset?t=1\">こちら</a></p></body></html>"
	cases := []struct {
		name, raw string
		text      string // what both must give
		attach    bool
	}{
		{"html only, Shift_JIS", "Subject: =?Shift_JIS?B?" + b64(encode(t, japanese.ShiftJIS, "再設定")) + "?=\r\n" +
			"Content-Type: text/html; charset=Shift_JIS\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + encode(t, japanese.ShiftJIS, jaHTML) + "\r\n",
			"パスワードの再設定\n\nこちら <https://example.jp/reset?t=1>", false},
		{"html only, ISO-2022-JP", "Subject: =?ISO-2022-JP?B?" + b64(encode(t, japanese.ISO2022JP, "再設定")) + "?=\r\n" +
			"Content-Type: text/html; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + encode(t, japanese.ISO2022JP, jaHTML) + "\r\n",
			"パスワードの再設定\n\nこちら <https://example.jp/reset?t=1>", false},
		{"one text part in multipart/mixed, CRLF and CR CR LF", "Subject: Your code\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Code: 493021\r\nVisit https://example.com/v?c=1\r\r\nBye\r\n--b1--\r\n",
			"Code: 493021\nVisit https://example.com/v?c=1\nBye", false},
		{"text and a PDF", "Subject: Invoice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b2\r\n\r\n" +
			"--b2\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b2\r\nContent-Type: application/pdf; name=\"inv.pdf\"\r\n" +
			"Content-Disposition: attachment; filename=\"inv.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b2--\r\n",
			"See attached.", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			got := map[string]*providers.Message{}
			for _, p := range []struct {
				name string
				box  providers.Mailbox
			}{{"microsoft365", b.m365}, {"google", b.gml}} {
				tag := strings.NewReplacer(" ", "-", ",", "", "/", "-").Replace(tc.name)
				rcpt := plus(p.box, tag)
				raw := "From: Shop <shop@example.net>\r\nTo: " + rcpt + "\r\nDate: Mon, 05 Jan 2026 11:30:00 +0000\r\nMessage-ID: <" + tag + "@example.net>\r\n" + tc.raw
				if _, err := b.srv.Store().Insert(p.box.Address(), []byte(raw), store.InsertOptions{}); err != nil {
					t.Fatal(err)
				}
				list, err := p.box.List(ctx, providers.Criteria{To: providers.Matcher{Contains: rcpt}})
				if err != nil || len(list) != 1 {
					t.Fatalf("%s: list = %v, %v", p.name, list, err)
				}
				msg, err := p.box.Read(ctx, list[0].ID, providers.ReadOptions{})
				if err != nil {
					t.Fatalf("%s: %v", p.name, err)
				}
				if list[0].HasAttachments != msg.HasAttachments || msg.HasAttachments != tc.attach {
					t.Errorf("%s: list says hasAttachments %v, read %v; want %v", p.name, list[0].HasAttachments, msg.HasAttachments, tc.attach)
				}
				if strings.TrimSpace(msg.Text) != tc.text {
					t.Errorf("%s: text = %q, want %q", p.name, msg.Text, tc.text)
				}
				if strings.Contains(msg.Text+msg.HTML, "\r") {
					t.Errorf("%s: a CR is left in text %q or html %q", p.name, msg.Text, msg.HTML)
				}
				msg.To[0].Address = "rcpt" // each mailbox's own plus-address
				got[p.name] = msg
			}
			m, g := got["microsoft365"], got["google"]
			for _, f := range []struct {
				name   string
				m365   any
				google any
			}{
				{"subject", m.Subject, g.Subject},
				{"from", m.From, g.From},
				{"to", m.To, g.To},
				{"text", strings.TrimSpace(m.Text), strings.TrimSpace(g.Text)},
				{"html", strings.TrimSpace(m.HTML), strings.TrimSpace(g.HTML)},
				{"attachments", names(m.Attachments), names(g.Attachments)},
				{"links", m.Links, g.Links},
			} {
				if !reflect.DeepEqual(f.m365, f.google) {
					t.Errorf("%s differs:\nmicrosoft365: %#v\ngoogle:       %#v", f.name, f.m365, f.google)
				}
			}
		})
	}
}

func names(as []providers.Attachment) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, fmt.Sprintf("%s %s inline=%v", a.Name, a.ContentType, a.Inline))
	}
	return out
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
