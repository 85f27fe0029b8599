package providers

import "testing"

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.5.6.7": true,
		"::1": true, "graph.microsoft.com": false, "10.0.0.1": false, "": false, "127.0.0.1.example.com": false} {
		if IsLoopback(host) != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, !want, want)
		}
	}
}
