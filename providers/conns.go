package providers

import (
	"crypto/tls"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// Conns is one mailbox's pool of HTTP connections, a clone of http.DefaultTransport, which
// Close releases when the VM that connected the mailbox ends. Without it each connect's idle
// keep-alive connections (and their two goroutines each) would outlive the VM by the idle
// timeout, and a suite of many files would pile them up.
type Conns struct {
	*http.Transport
	closed atomic.Bool
}

// idlePerHost is how many idle connections a pool keeps per host: as many as a mailbox has
// requests in flight to one service (Gmail's 8 per user, Graph's 4 per mailbox), so a burst
// that ends does not leave the next one to dial and handshake again. net/http's default, 2,
// closed all but two of them after each burst.
const idlePerHost = 8

// NewConns returns a fresh pool; tlsConf adds trusted CAs (nil: the system roots).
func NewConns(tlsConf *tls.Config) *Conns {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = tlsConf
	t.MaxIdleConnsPerHost = idlePerHost
	return &Conns{Transport: t}
}

// RoundTrip sends r on the pool. A response whose body has been read to the end or closed is
// done: its connection is back in the idle pool (net/http puts it there before the read that
// returns io.EOF returns) or closed, and once the pool is closed, done closes it.
func (c *Conns) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.Transport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &doneBody{ReadCloser: resp.Body, done: sync.OnceFunc(c.done)}
	return resp, nil
}

func (c *Conns) done() {
	if c.closed.Load() {
		c.Transport.CloseIdleConnections()
	}
}

// Close closes the idle connections now, and those of requests still running as each one is
// done: calls in flight when a VM ends (cancelled, or finishing in the background) complete
// normally, and no connection is kept after them. The pool stays usable, without keep-alive,
// for a caller that still holds it (a token cache shared with the run's other mailboxes).
func (c *Conns) Close() error {
	c.closed.Store(true)
	c.Transport.CloseIdleConnections()
	return nil
}

// doneBody tells the pool when its response is done: at the end of the body or on Close,
// whichever comes first.
type doneBody struct {
	io.ReadCloser
	done func()
}

func (b *doneBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.done()
	}
	return n, err
}

func (b *doneBody) Close() error {
	err := b.ReadCloser.Close()
	b.done()
	return err
}
