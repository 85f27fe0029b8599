package parity

import (
	"strings"
	"testing"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// TestUndeclared8BitReadsAsTheStoreParses: text that is not valid UTF-8 and declares no
// charset (or says UTF-8 wrongly) reads as windows-1252 everywhere. Each provider, reading
// through the emulator with the service's own representation (Graph JSON, Gmail's format=full)
// and from the raw source (format raw, parsed by providers/mimemsg), shows what the emulator's
// store parsed, because both decode with internal/mimedecode.
func TestUndeclared8BitReadsAsTheStoreParses(t *testing.T) {
	t.Parallel()
	b := start(t)
	cases := []struct {
		name, head, body string
		subject, text    string // what everyone must show
	}{
		{"no charset", "Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit", "Caf\xe9 \x93menu\x94 \x80 5\r\nline two",
			"Caf\xe9 menu", "Café “menu” € 5\nline two"},
		{"labelled utf-8", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", "na=EFve r=E9sum=E9",
			"=?utf-8?q?r=C3=A9sum=C3=A9?=", "naïve résumé"},
		{"no MIME header at all", "", "Gr\xfc\xdfe aus K\xf6ln", "Gr\xfc\xdfe", "Grüße aus Köln"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			for _, p := range []struct {
				name string
				box  providers.Mailbox
			}{{"microsoft365", b.m365}, {"google", b.gml}} {
				raw := "From: J\xf6rg <shop@example.net>\r\nTo: " + p.box.Address() + "\r\nSubject: " + tc.subject + "\r\nMIME-Version: 1.0\r\n"
				if tc.head != "" {
					raw += tc.head + "\r\n"
				}
				raw += "\r\n" + tc.body + "\r\n"
				stored, err := b.srv.Store().Insert(p.box.Address(), []byte(raw), store.InsertOptions{})
				if err != nil {
					t.Fatal(err)
				}
				storeSubject := strings.Join(strings.Fields(stored.Subject), " ")
				if stored.From.Name != "Jörg" || strings.TrimSpace(strings.ReplaceAll(stored.Text, "\r\n", "\n")) != tc.text {
					t.Fatalf("%s: the store parsed from %q, text %q; want Jörg, %q", p.name, stored.From.Name, stored.Text, tc.text)
				}
				for _, raw := range []bool{false, true} {
					msg, err := p.box.Read(ctx, stored.ID, providers.ReadOptions{Raw: raw})
					if err != nil {
						t.Fatalf("%s raw=%v: %v", p.name, raw, err)
					}
					if got := strings.TrimSpace(msg.Text); got != tc.text {
						t.Errorf("%s raw=%v: text %q, the store's %q", p.name, raw, got, tc.text)
					}
					if msg.Subject != storeSubject || msg.From.Name != stored.From.Name {
						t.Errorf("%s raw=%v: subject %q from %q, the store's %q and %q", p.name, raw, msg.Subject, msg.From.Name, storeSubject, stored.From.Name)
					}
				}
			}
		})
	}
}
