package google

import (
	"regexp"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
)

func TestQuery(t *testing.T) {
	since := time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name   string
		c      providers.Criteria
		folder string
		want   string
	}{
		{"empty", providers.Criteria{}, "", ""},
		{"archive", providers.Criteria{}, archiveQuery, archiveQuery},
		{"address", providers.Criteria{From: providers.Matcher{Contains: "no-reply@example.com"}, To: providers.Matcher{Contains: "qa@x.org"}},
			"", `from:"no-reply@example.com" {to:"qa@x.org" cc:"qa@x.org" deliveredto:"qa@x.org"}`},
		{"plus-address", providers.Criteria{To: providers.Matcher{Contains: " qa+signup-7f3a@x.org "}},
			"", `{to:"qa+signup-7f3a@x.org" cc:"qa+signup-7f3a@x.org" deliveredto:"qa+signup-7f3a@x.org"}`},
		{"regexp address", providers.Criteria{To: providers.Matcher{Regexp: regexp.MustCompile(`qa@x\.org`)}}, "", `to:"qa@x.org"`},
		{"partial address is client-side only", providers.Criteria{From: providers.Matcher{Contains: "example.com"}}, "", ""},
		{"subject inner words", providers.Criteria{Subject: providers.Matcher{Contains: "reset your password now"}}, "", `subject:"your password"`},
		{"subject bounded by separators", providers.Criteria{Subject: providers.Matcher{Contains: " Order #123: "}}, "", `subject:"Order 123"`},
		{"one word is client-side only", providers.Criteria{Subject: providers.Matcher{Contains: "welcome"}}, "", ""},
		{"regexp literal prefix", providers.Criteria{Subject: providers.Matcher{Regexp: regexp.MustCompile(`Your code is \d+`)}}, "", `subject:"code is"`},
		{"body", providers.Criteria{Body: providers.Matcher{Contains: "click the link below"}}, "", `"the link"`},
		{"flags", providers.Criteria{Unread: ptr(true), HasAttachments: ptr(false)}, "", "is:unread -has:attachment"},
		{"dates as epoch seconds", providers.Criteria{Since: since, Before: since.Add(time.Hour)}, "", "after:1772362799 before:1772366401"},
		{"native query", providers.Criteria{Query: "label:work OR is:starred", Unread: ptr(false)}, "", "-is:unread (label:work OR is:starred)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := query(tt.c, tt.folder); got != tt.want {
				t.Errorf("query = %q, want %q", got, tt.want)
			}
		})
	}
}
