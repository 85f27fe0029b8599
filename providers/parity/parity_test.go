package parity

import (
	"testing"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/emulatortest"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/google"
	"github.com/mailscript/mailscript/providers/microsoft365"
)

// boxes is one mailbox per provider on a fresh default emulator: qa-inbox@contoso.com
// (Graph) and qa@example.com (Gmail), connected as `mailscript run --emulator` connects.
type boxes struct {
	srv       *emulator.Server
	m365, gml providers.Mailbox
}

func start(t *testing.T) boxes {
	t.Helper()
	srv := emulatortest.New(t)
	env := srv.Env()
	getenv := func(k string) string { return env[k] }
	shared := providers.NewShared(nil)
	m365, err := microsoft365.Connect(providers.Options{}, getenv, shared)
	if err != nil {
		t.Fatal(err)
	}
	gml, err := google.Connect(providers.Options{}, getenv, shared)
	if err != nil {
		t.Fatal(err)
	}
	return boxes{srv: srv, m365: m365, gml: gml}
}

// each runs fn for both providers as parallel subtests.
func (b boxes) each(t *testing.T, fn func(t *testing.T, box providers.Mailbox)) {
	for name, box := range map[string]providers.Mailbox{"microsoft365": b.m365, "google": b.gml} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, box)
		})
	}
}
