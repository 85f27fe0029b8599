package graph

import (
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// Fuzz the $search and $filter parsers: any input gives a compiled query or a 400, never a
// panic or a runaway recursion. scripts/bench.sh runs these for a while; CI runs the seeds.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{`"subject:order AND body:shipped"`, `"order and shipped"`, `"from:shop -subject:\"order 00\""`,
		`"(subject:order OR from:joerg) AND hasAttachments:true"`, `"received>=2026-03-03T10:20:00Z"`, `"received:2026-03-01..2026-03-03"`,
		`"size>100000"`, `"NOT NOT +a"`, `"((a)"`, nested("(", "a", ")", 120)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fn, e := parseSearch(src)
		if e != nil {
			if e.Status != 400 {
				t.Fatalf("%q: %v", src, e)
			}
			return
		}
		fn(searchFixtureMessage())
	})
}

func FuzzFilter(f *testing.F) {
	for _, s := range []string{"isRead eq true", "subject eq 'a''b'", "startswith(subject,'Order')", "contains(subject, 'x') and not isRead",
		"toRecipients/any(r: r/emailAddress/address eq 'ben@contoso.com')", "receivedDateTime ge 2026-01-02T03:04:05Z",
		"categories/any(c: c eq 'Red')", "(isRead eq true) or (importance eq 'high')", nested("(", "isRead eq true", ")", 120)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		flt, e := parseFilter(src)
		if e != nil {
			if e.Status != 400 {
				t.Fatalf("%q: %v", src, e)
			}
			return
		}
		flt.match(env{m: searchFixtureMessage()})
	})
}

// searchFixtureMessage is a message with every property the parsers can name set.
func searchFixtureMessage() *store.Message {
	at := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
	from := store.Address{Name: "Shop", Address: "shop@example.net"}
	return &store.Message{ID: "m1", Subject: "Order 01", From: from, Sender: from, To: []store.Address{{Name: "Ben", Address: "ben@contoso.com"}},
		Cc: []store.Address{{Address: "ana@contoso.com"}}, Text: "Your order shipped.", HTML: "<p>Your order shipped.</p>",
		Importance: "high", Categories: []string{"Red"}, ReceivedAt: at, SentAt: at, CreatedAt: at, ModifiedAt: at,
		Raw: []byte("Subject: Order 01\r\n\r\nYour order shipped."), Attachments: []store.Attachment{{Name: "invoice.pdf", Data: []byte("%PDF")}}}
}
