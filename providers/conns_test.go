package providers_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/providertest"
)

// connServer serves h on loopback and counts the connections open to it as the server sees
// them, for tests of what a client keeps open (providers.Conns, a mailbox's Close). It is closed
// by t.Cleanup.
func connServer(t testing.TB, h http.Handler) (srv *httptest.Server, open *atomic.Int64) {
	open = new(atomic.Int64)
	srv = httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, open
}

func get(t *testing.T, c *http.Client, url string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// TestConnsClose: Close closes the idle connections at once and a running request's when it is
// done, and the pool stays usable without keeping any.
func TestConnsClose(t *testing.T) {
	t.Parallel()
	hold, slow := make(chan struct{}), make(chan struct{})
	slowArrived := make(chan struct{}, 1)
	var arrived sync.WaitGroup
	srv, open := connServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hold":
			arrived.Done()
			<-hold
		case "/slow":
			slowArrived <- struct{}{}
			<-slow
		}
		_, _ = io.WriteString(w, "ok")
	}))
	// Runs before the server's cleanup, which waits for its handlers: a failed test must not hang.
	release := sync.OnceFunc(func() { close(slow) })
	t.Cleanup(release)
	conns := providers.NewConns(nil)
	client := &http.Client{Transport: conns}

	// Three requests at once need three connections, which stay open, idle, once answered.
	var wg sync.WaitGroup
	arrived.Add(3)
	for range 3 {
		wg.Go(func() { get(t, client, srv.URL+"/hold") })
	}
	arrived.Wait()
	close(hold)
	wg.Wait()
	if n := open.Load(); n != 3 {
		t.Fatalf("%d connections open after three parallel requests, want 3 kept alive", n)
	}

	// One request still running when the mailbox closes: the idle ones go, its own stays
	// until it is done, then goes too.
	wg.Go(func() { get(t, client, srv.URL+"/slow") })
	<-slowArrived
	if err := conns.Close(); err != nil {
		t.Fatal(err)
	}
	providertest.Eventually(t, "Close left idle connections open", func() bool { return open.Load() == 1 })
	release()
	wg.Wait()
	providertest.Eventually(t, "the connection of a request running at Close stayed open after it", func() bool { return open.Load() == 0 })

	// Still usable after Close (a token cache another mailbox shares may hold it): nothing is kept.
	get(t, client, srv.URL+"/")
	providertest.Eventually(t, "a request after Close kept its connection", func() bool { return open.Load() == 0 })
}
