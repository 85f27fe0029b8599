package bindings

import (
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

func TestDuration(t *testing.T) {
	rt := goja.New()
	tests := []struct {
		js      string
		want    time.Duration
		wantErr string
	}{
		{"1500", 1500 * time.Millisecond, ""},
		{"2.5", 2500 * time.Microsecond, ""},
		{"'2s'", 2 * time.Second, ""},
		{"'1m30s'", 90 * time.Second, ""},
		{"' 500ms '", 500 * time.Millisecond, ""},
		{"'soon'", 0, `timeout: "soon" is not a duration`},
		{"-1", 0, "negative"},
		{"NaN", 0, "not a valid number"},
		{"({})", 0, "expected a number of milliseconds"},
		{"undefined", 0, "a duration is required"},
	}
	for _, tt := range tests {
		v, err := rt.RunString(tt.js)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Duration(v, "timeout")
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Duration(%s) error = %v, want %q", tt.js, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Duration(%s) = %v, %v; want %v", tt.js, got, err, tt.want)
		}
	}
}
