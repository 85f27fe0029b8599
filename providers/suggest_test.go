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
		{"tsl", []string{"tls", "grep", "json"}, "tls"}, // a swap is one edit
		{"raed", methods, "read"},
		{"", methods, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"read", "read", 0},
		{"reed", "read", 1}, {"rad", "read", 1}, {"reads", "read", 1},
		{"raed", "read", 1}, {"tsl", "tls", 1}, {"ab", "ba", 1}, {"abc", "ca", 3},
		{"kitten", "sitting", 3},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
