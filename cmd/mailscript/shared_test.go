package main

import (
	"context"
	"testing"

	"github.com/mailscript/mailscript/emulator"
)

// TestRunsShareNothing: the test files of one run share each mailbox's token (one sign-in per
// service however many files connect), and a second run in the same process signs in again:
// each command makes its own providers.Shared.
func TestRunsShareNothing(t *testing.T) {
	srv, err := emulator.Start(context.Background(), emulator.Config{KeyDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	src := `test('lists both', async () => {
  await mail.connect('microsoft365').list();
  await mail.connect('google').list();
});
`
	dir := writeFiles(t, map[string]string{"a.test.js": src, "b.test.js": src, "c.test.js": src})
	signIns := func() (graph, gmail int64) {
		tot := srv.Totals()
		return tot["graph"].SignIn, tot["gmail"].SignIn
	}
	for run := int64(1); run <= 2; run++ {
		if code, stdout, stderr := runCLI(t, srv.Env(), "run", dir, "--parallel", "3", "--no-cache"); code != exitOK {
			t.Fatalf("run %d exited %d\n%s%s", run, code, stdout, stderr)
		}
		if graph, gmail := signIns(); graph != run || gmail != run {
			t.Errorf("after %d runs of 3 files: %d Entra and %d Google sign-ins, want %d each: one per run", run, graph, gmail, run)
		}
	}
}
