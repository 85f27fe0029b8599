// Package face holds what the emulator's protocol faces (Graph, Gmail) share: the options the
// root package gives each of them. It knows no protocol.
package face

import (
	"net/http"
	"time"
)

// Options configure a face.
type Options struct {
	// BaseURL returns the emulator's root URL (scheme://host:port, no trailing slash). It is
	// read per request because the port may be known only after the listener starts; faces
	// build absolute links (next pages, delta and upload URLs, Locations) and token audiences
	// and issuers from it.
	BaseURL func() string
	// TokenTTL is the lifetime of issued access tokens; zero means the service's own default
	// (one hour for both Entra and Google).
	TokenTTL time.Duration
	// Now is the clock for assertions and token expiry; nil means the store's clock.
	Now func() time.Time
	// Batch, when set, is called once per batch request with whether its calls run one after
	// another, and the handler that serves one call. It returns the handler to serve each call
	// through instead (the emulator's counters and faults wrap it) and a func to call once the
	// batch is answered. Calls are served one at a time.
	Batch func(serial bool, call http.Handler) (http.Handler, func())
}

// WithDefaults fills what o leaves unset: the services' one-hour token lifetime, the store's
// clock (now), and a BaseURL of http://localhost for faces used without a listener.
func (o Options) WithDefaults(now func() time.Time) Options {
	if o.TokenTTL <= 0 {
		o.TokenTTL = time.Hour
	}
	if o.Now == nil {
		o.Now = now
	}
	if o.BaseURL == nil {
		o.BaseURL = func() string { return "http://localhost" }
	}
	return o
}
