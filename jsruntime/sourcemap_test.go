package jsruntime

import (
	"slices"
	"strings"
	"testing"
)

func TestGojaColumns(t *testing.T) {
	tests := []struct{ in, want string }{
		// Each line's first segment moves one column right; so does the first original column.
		{`{"mappings": "AAAA,CAAC;AACA"}`, `{"mappings": "CAAC,CAAC;CACA"}`},
		{`{"mappings": ";;AAAA"}`, `{"mappings": ";;CAAC"}`},
		{`{"mappings": "A,CAAC"}`, `{"mappings": "C,CAAE"}`}, // the first segment has no original position
		{`{"version": 3}`, `{"version": 3}`},
	}
	for _, tt := range tests {
		if got := string(gojaColumns([]byte(tt.in))); got != tt.want {
			t.Errorf("gojaColumns(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestVLQRoundTrip(t *testing.T) {
	values := []int{0, 1, -1, 15, -16, 16, 1000, -123456}
	var b strings.Builder
	for _, v := range values {
		encodeVLQ(&b, v)
	}
	if got := decodeVLQ(b.String()); !slices.Equal(got, values) {
		t.Errorf("decodeVLQ(encodeVLQ(%v)) = %v", values, got)
	}
}
