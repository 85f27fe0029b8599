package throttle

import (
	"io"
	"net/http"
	"sync"
)

// ReleasingBody frees a concurrency slot when the response body is closed, not when the
// headers arrive: the services count a request in progress until its answer has been sent.
type ReleasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

// Release wraps resp's body so that release runs once, on its first Close.
func Release(resp *http.Response, release func()) {
	resp.Body = &ReleasingBody{ReadCloser: resp.Body, release: release}
}

func (b *ReleasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
