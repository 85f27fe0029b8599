package main

import (
	"strings"
	"testing"
)

func TestEmulatorFlagErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-auth", "nopassword"}, "--smtp-auth: want USER:PASS"},
		{[]string{"--smtp-auth", ":pass"}, "--smtp-auth: want USER:PASS"},
		{[]string{"--smtp-port", "70000"}, "--smtp-port 70000: want a port from 1 to 65535"},
		{[]string{"--tls-cert", "c.pem", "--tls-key", "k.pem"}, "--tls-cert and --tls-key need --tls"},
		{[]string{"--tls", "--tls-cert", "c.pem"}, "give both --tls-cert and --tls-key"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCLI(t, nil, append([]string{"emulator"}, tc.args...)...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}
