package gmail

import (
	"strings"
	"testing"
	"time"
)

// FuzzQuery: any q gives a query or an error, never a panic or a runaway recursion.
// scripts/bench.sh runs it for a while; CI runs the seeds.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"from:billing@shop.example", "from:(nobody OR billing)", `subject:"invoice #42"`, "after:2026/03/01",
		"newer_than:10d", "-is:read", "{subject:nope from:billing}", "-(subject:invoice from:billing)", "larger:1K smaller:1M",
		"rfc822msgid:<a@b>", `"open`, "(a b", "a OR", strings.Repeat("(", 120) + "a" + strings.Repeat(")", 120)} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	d := &doc{from: "billing@shop.example", subject: words("Your invoice"), text: words("Your invoice is attached"),
		internalMs: now.Add(-time.Hour).UnixMilli(), labels: map[string]bool{"inbox": true}, size: 2048}
	f.Fuzz(func(t *testing.T, q string) {
		parsed, err := parseQuery(q, &queryContext{now: now})
		if err == nil {
			parsed.match(d)
		}
	})
}
