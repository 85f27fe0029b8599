package emulatortest

import (
	"context"
	"testing"

	"github.com/mailscript/mailscript/emulator"
)

// New starts an emulator serving the default seed (see Start).
func New(t testing.TB) *emulator.Server { return Start(t, emulator.Config{}) }

// Start starts an emulator with cfg (seed, faults, cost model, TLS...) and closes it with
// t.Cleanup. The service account key and, with TLS, the CA go to temporary folders of the test
// unless cfg names them, so that no test writes to the user's CA folder or shares keys.
func Start(t testing.TB, cfg emulator.Config) *emulator.Server {
	t.Helper()
	if cfg.KeyDir == "" {
		cfg.KeyDir = t.TempDir()
	}
	if cfg.TLS && cfg.CADir == "" {
		cfg.CADir = t.TempDir()
	}
	srv, err := emulator.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("emulatortest: start the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}
