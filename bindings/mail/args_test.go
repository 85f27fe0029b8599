package mail

import (
	"testing"
	"time"
)

// TestParseISODate: the ISO 8601 forms JavaScript's Date reads, with its meaning.
func TestParseISODate(t *testing.T) {
	local := func(y, mo, d, h, mi, s, ns int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.Local)
	}
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2026-01-05", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}, // new Date('2026-01-05'): midnight UTC
		{"2026-01-05T10:30", local(2026, 1, 5, 10, 30, 0, 0)},       // no offset: local time
		{"2026-01-05T10:30:15", local(2026, 1, 5, 10, 30, 15, 0)},
		{"2026-01-05T10:30:15.250", local(2026, 1, 5, 10, 30, 15, 250e6)},
		{"2026-01-05T10:30:15Z", time.Date(2026, 1, 5, 10, 30, 15, 0, time.UTC)},
		{"2026-01-05T10:30:15.5+02:00", time.Date(2026, 1, 5, 8, 30, 15, 500e6, time.UTC)},
	} {
		got, ok := parseISODate(tt.in)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("parseISODate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"yesterday", "2026-13-01", "05/01/2026", "2026-01-05 10:30", ""} {
		if got, ok := parseISODate(bad); ok {
			t.Errorf("parseISODate(%q) = %v, want refused", bad, got)
		}
	}
}
