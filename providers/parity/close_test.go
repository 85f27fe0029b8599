package parity

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/providertest"
)

// TestCloseReleasesConnections: each provider's mailbox, through its real SDK client, keeps its
// connections to the service alive between calls and closes every one (token endpoint and API
// alike) on Close, as the end of the VM that connected it calls it. The providers take turns,
// so that the connections counted are the one's under test.
func TestCloseReleasesConnections(t *testing.T) {
	t.Parallel()
	b := start(t)
	open := func() int { return clientConns(t, b.srv.URL()) }
	for _, box := range []providers.Mailbox{b.m365, b.gml} {
		// Calls side by side need connections side by side: several are kept alive.
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if _, err := box.List(t.Context(), providers.Criteria{}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if open() == 0 {
			t.Fatal("no connection was kept alive after the calls: the test would prove nothing")
		}
		if err := box.Close(); err != nil {
			t.Fatal(err)
		}
		providertest.Eventually(t, "connections stayed open after Close", func() bool { return open() == 0 })
	}
}

// clientConns counts the established TCP connections to the server at rawURL (loopback IPv4)
// as Linux lists them in /proc/net/tcp: those whose remote end is the server's port, which
// only this process's clients of this test's emulator have.
func clientConns(t *testing.T, rawURL string) int {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		t.Skip("counting connections needs Linux's /proc/net/tcp:", err)
	}
	var port int
	if _, err := fmt.Sscan(u.Port(), &port); err != nil {
		t.Fatal(err)
	}
	remote := fmt.Sprintf(":%04X", port)
	n := 0
	for _, line := range strings.Split(string(table), "\n")[1:] {
		// sl local_address rem_address st ...; st 01 is ESTABLISHED.
		if f := strings.Fields(line); len(f) > 3 && strings.HasSuffix(f[2], remote) && f[3] == "01" {
			n++
		}
	}
	return n
}
