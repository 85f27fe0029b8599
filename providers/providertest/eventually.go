package providertest

import (
	"testing"
	"time"
)

// Eventually waits until cond holds, failing the test with what after ten seconds, for what
// happens asynchronously (a server, or the kernel, seeing a client close a connection). The
// limit guards against a hang; it is no speed target.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal(what)
		}
	}
}
