package emulatortest

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/emulator"
)

// TestStart: the emulator answers on loopback, its files sit in the test's folders, and it is
// closed when the test ends.
func TestStart(t *testing.T) {
	t.Parallel()
	var url, keyDir string
	t.Run("running", func(t *testing.T) {
		srv := Start(t, emulator.Config{TLS: true})
		url = srv.URL()
		if !strings.HasPrefix(url, "https://127.0.0.1:") {
			t.Fatalf("URL = %q, want https on loopback", url)
		}
		if ca := srv.CAFile(); !strings.HasPrefix(ca, os.TempDir()) {
			t.Errorf("CA file %q is not in a temporary folder", ca)
		}
		keyDir = filepath.Dir(srv.Env()["MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"])
		if !strings.HasPrefix(keyDir, os.TempDir()) {
			t.Errorf("key folder %q is not temporary", keyDir)
		}
	})
	if _, err := http.Get(strings.Replace(url, "https:", "http:", 1)); err == nil {
		t.Error("the emulator still answers after its test ended")
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	srv := New(t)
	if len(srv.Store().Mailboxes()) == 0 {
		t.Fatal("the default seed has no mailboxes")
	}
}
