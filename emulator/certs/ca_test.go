package certs

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCAIsKeptAndSignsLoopbackLeaves(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "mailscript")
	ca, err := LoadOrCreateCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, keyFileName))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v, want mode 0600", info, err)
	}
	again, err := LoadOrCreateCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !again.cert.Equal(ca.cert) || again.File != filepath.Join(dir, CAFileName) {
		t.Fatal("a second start made a new CA: applications would have to trust it again")
	}
	leaf, err := again.Leaf()
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if _, err := leaf.Leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: ca.Pool()}); err != nil {
			t.Errorf("leaf for %s: %v", host, err)
		}
	}
	if _, err := leaf.Leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: ca.Pool()}); err == nil {
		t.Error("leaf verifies for example.com")
	}
}

func TestBrokenCANamesTheFiles(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, cert, key string }{
		{"garbage", "not a certificate", "not a key"},
		{"key missing", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			_ = os.WriteFile(filepath.Join(dir, CAFileName), []byte(tc.cert), 0o644)
			if tc.key != "" {
				_ = os.WriteFile(filepath.Join(dir, keyFileName), []byte(tc.key), 0o600)
			}
			_, err := LoadOrCreateCA(dir)
			if err == nil || !strings.Contains(err.Error(), "delete "+CAFileName+" and "+keyFileName) {
				t.Fatalf("err = %v, want a hint naming both files", err)
			}
		})
	}
}

func TestDefaultDir(t *testing.T) {
	t.Parallel()
	got, err := DefaultDir(func(k string) string { return map[string]string{EnvCADir: "/tmp/ca"}[k] })
	if err != nil || got != "/tmp/ca" {
		t.Fatalf("DefaultDir with %s = %q, %v", EnvCADir, got, err)
	}
}
