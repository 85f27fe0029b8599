package gmail

import (
	"testing"
	"time"
)

func TestQueryMatching(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	invoice := &doc{
		from: `"shop billing" <billing@shop.example>`, to: "qa@example.com", cc: "accounts@example.com",
		subject: words("Your invoice #42"), text: words("Your invoice #42 Invoice 42 is attached. Amount due billing@shop.example"),
		internalMs: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC).UnixMilli(), hasAttachment: true,
		filenames: []string{"invoice-42.pdf"}, messageID: "invoice-42@shop.example", size: 2048,
		labels: map[string]bool{"inbox": true, "unread": true, "label_1": true, "receipts": true},
	}
	tests := []struct {
		q    string
		want bool
	}{
		{"", true},
		{"from:billing@shop.example", true},
		{"from:shop.example", true},
		{"from:(nobody)", false},
		{"from:(nobody OR billing)", true},
		{"subject:(invoice 42)", true},
		{"subject:(invoice attached)", false}, // attached is in the body, not the subject
		{"to:qa@example.com", true},
		{"cc:accounts", true},
		{"subject:invoice", true},
		{"subject:invoic", false}, // whole words, like Gmail
		{`subject:"invoice #42"`, true},
		{`"amount due"`, true},
		{`"due amount"`, false},
		{"attached", true},
		{"after:2026/03/01", true},
		{"after:2026/03/03", false},
		{"before:2026/03/03 after:2026/03/02", true},
		{"after:1772409600", true}, // 2026-03-02 00:00 UTC in epoch seconds
		{"before:1772409600", false},
		{"newer_than:10d", true},
		{"newer_than:7d", false},
		{"older_than:1d", true},
		{"older_than:1y", false},
		{"is:unread", true},
		{"is:read", false},
		{"-is:read", true},
		{"has:attachment", true},
		{"has:userlabels", true},
		{"in:inbox", true},
		{"in:sent", false},
		{"label:receipts", true},
		{"label:Label_1", true},
		{"rfc822msgid:<invoice-42@shop.example>", true},
		{"rfc822msgid:other@x", false},
		{"filename:pdf", true},
		{"larger:1K smaller:1M", true},
		{"larger:5M", false},
		{"subject:nope OR from:billing", true},
		{"subject:nope OR from:nobody", false},
		{"{subject:nope from:billing}", true},
		{"-(subject:invoice from:billing)", false},
		{"(subject:nope OR is:unread) -in:sent", true},
		{"invoice -subject:invoice", false},
		{"category:primary", false},
		{"zebra", false},
	}
	for _, tc := range tests {
		q, err := parseQuery(tc.q, &queryContext{now: now})
		if err != nil {
			t.Errorf("parseQuery(%q): %v", tc.q, err)
			continue
		}
		if got := q.match(invoice); got != tc.want {
			t.Errorf("%q matched %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestQueryErrorsAndScope(t *testing.T) {
	for _, q := range []string{`"open`, "(a b", "a )", "is:bogus", "newer_than:3w", "after:yesterday", "a OR", "larger:big"} {
		if _, err := parseQuery(q, &queryContext{}); err == nil {
			t.Errorf("parseQuery(%q) succeeded, want an error", q)
		}
	}
	for q, want := range map[string]bool{"in:trash": true, "in:anywhere foo": true, "label:spam": true, "in:inbox": false} {
		ctx := &queryContext{}
		if _, err := parseQuery(q, ctx); err != nil || ctx.spamOrTrash != want {
			t.Errorf("parseQuery(%q): spamOrTrash %v err %v, want %v", q, ctx.spamOrTrash, err, want)
		}
	}
}
