package providers

import "testing"

func TestClosest(t *testing.T) {
	t.Parallel()
	names := []string{"google", "microsoft365"}
	methods := []string{"list", "read", "send", "waitFor", "delete", "move", "markRead", "folders"}
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"micorsoft365", names, "microsoft365"},
		{"Google", names, "google"},
		{"gmail", names, ""},
		{"reed", methods, "read"},
		{"waitfor", methods, "waitFor"},
		{"waitFro", methods, "waitFor"},
		{"x", methods, ""},
		{"", methods, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
