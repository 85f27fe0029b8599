package emulator

import (
	"crypto/tls"
	"fmt"
	"os"

	"github.com/mailscript/mailscript/emulator/certs"
)

// serverTLS is the certificate every face serves with --tls: the user's own pair, or a leaf
// from the emulator's CA (created on first use). caFile is the CA certificate applications
// should trust, empty for the user's own pair (they know their CA).
func (cfg *Config) serverTLS() (conf *tls.Config, caFile string, err error) {
	var leaf tls.Certificate
	switch {
	case cfg.TLSCertFile != "" || cfg.TLSKeyFile != "":
		if cfg.TLSCertFile == "" || cfg.TLSKeyFile == "" {
			return nil, "", fmt.Errorf("emulator: give both --tls-cert and --tls-key (PEM files), or neither to use the emulator's CA")
		}
		if leaf, err = tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile); err != nil {
			return nil, "", fmt.Errorf("emulator: --tls-cert %s / --tls-key %s: %w", cfg.TLSCertFile, cfg.TLSKeyFile, err)
		}
	default:
		dir := cfg.CADir
		if dir == "" {
			if dir, err = certs.DefaultDir(os.Getenv); err != nil {
				return nil, "", err
			}
		}
		ca, err := certs.LoadOrCreateCA(dir)
		if err != nil {
			return nil, "", err
		}
		if leaf, err = ca.Leaf(); err != nil {
			return nil, "", fmt.Errorf("emulator: issue the server certificate: %w", err)
		}
		caFile = ca.File
	}
	// HTTP/1.1 only: the fault injection hijacks connections to drop them, as HTTP/2 cannot.
	return &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}, caFile, nil
}
