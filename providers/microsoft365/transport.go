package microsoft365

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/internal/throttle"
)

// maxAttempts bounds the tries of a request; retryBackoff spaces them, doubling from 250 ms
// (about 30 s of refusals in all) unless Graph's Retry-After says how long, up to a minute.
const maxAttempts = 8

var retryBackoff = throttle.Backoff{First: 250 * time.Millisecond, Max: 60 * time.Second, Cap: 60 * time.Second}

// mailboxConcurrency is Graph's MailboxConcurrency limit: requests in flight per mailbox.
const mailboxConcurrency = 4

// errOutcomeUnknown marks a non-repeatable request (a POST such as sendMail) whose answer was
// lost after it may have been processed: the caller must check before trying again.
var errOutcomeUnknown = errors.New("the request may or may not have been processed")

type (
	repeatableKey struct{}
	anonymousKey  struct{}
)

// anonymous marks ctx's requests as carrying no token: upload session URLs are
// pre-authorized, and Graph refuses a bearer token on them.
func anonymous(ctx context.Context) context.Context {
	return context.WithValue(ctx, anonymousKey{}, true)
}

// repeatable marks ctx's POST requests as safe to send again (a $batch of GETs, an upload
// session creation): only their answer matters, not how often they ran.
func repeatable(ctx context.Context) context.Context {
	return context.WithValue(ctx, repeatableKey{}, true)
}

// transport is the mailbox's HTTP stack: at most mailboxConcurrency requests in flight for the
// mailbox, a bearer token on Graph-host requests only (re-fetched once on 401), and retries of
// 429/503/504 honouring Retry-After with jittered backoff.
type transport struct {
	base   http.RoundTripper
	slots  chan struct{}
	tokens *tokenSource
	graph  *url.URL
	// repeatAll marks a client whose POSTs are all safe to repeat (the token endpoint's).
	repeatAll bool
	// service and setting name what this client reaches and the variable that points at it,
	// for the error when it cannot be reached.
	service, setting string
}

// slotsKey names a mailbox's concurrency slots in providers.Shared.
type slotsKey struct{ graph, mailbox string }

// mailboxSlots returns the run's concurrency slots of one mailbox, so that two VMs on one
// mailbox share the limit.
func mailboxSlots(shared *providers.Shared, graph, mailbox string) chan struct{} {
	return providers.Share(shared, slotsKey{graph, strings.ToLower(mailbox)}, func() chan struct{} {
		return make(chan struct{}, mailboxConcurrency)
	})
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	safe := t.repeatAll || req.Method != http.MethodPost || ctx.Value(repeatableKey{}) != nil
	toGraph := t.tokens != nil && ctx.Value(anonymousKey{}) == nil && req.URL.Scheme == t.graph.Scheme && req.URL.Host == t.graph.Host
	reauthed := false
	for attempt := 1; ; attempt++ {
		r := req.Clone(ctx)
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		r.Header.Del("Authorization")
		token := ""
		if toGraph {
			if token, err = t.tokens.Token(ctx); err != nil {
				return nil, err
			}
			r.Header.Set("Authorization", "Bearer "+token)
		}
		select {
		case t.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			<-t.slots
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if hint, ok := providers.UntrustedCertificate(err); ok {
				return nil, &providers.Error{Code: providers.Unavailable, Provider: Name, Message: hint, Err: err}
			}
			if !safe {
				return nil, &providers.Error{Code: providers.Unavailable, Provider: Name, Message: "the connection to Microsoft Graph dropped before the answer", Err: errors.Join(errOutcomeUnknown, err)}
			}
			if attempt >= maxAttempts || providers.Unreachable(err) {
				return nil, &providers.Error{Code: providers.Unavailable, Provider: Name, Message: "cannot reach " + t.service + " at " + r.URL.Host + ": " + reason(err) + " (check " + t.setting + " and the network)", Err: err}
			}
			if err := providers.Sleep(ctx, backoff(attempt, "")); err != nil {
				return nil, err
			}
			continue
		}
		throttle.Release(resp, func() { <-t.slots })
		switch {
		case resp.StatusCode == http.StatusUnauthorized && toGraph && !reauthed:
			// The token expired between our check and Graph's: fetch a new one, once.
			reauthed = true
			drain(resp)
			t.tokens.Invalidate(token)
			attempt--
			continue
		case resp.StatusCode == http.StatusGatewayTimeout && !safe:
			drain(resp)
			return nil, &providers.Error{Code: providers.Unavailable, Provider: Name, Status: resp.StatusCode, Message: "Microsoft Graph timed out before answering", Err: errOutcomeUnknown}
		case retryable(resp.StatusCode) && attempt < maxAttempts:
			wait := backoff(attempt, resp.Header.Get("Retry-After"))
			drain(resp)
			if err := providers.Sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		return resp, nil
	}
}

// reason is the network error without the request that the caller already names.
func reason(err error) string {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return "the host name " + dns.Name + " does not resolve"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// requestBody reads the body once so that every attempt can send it again.
func requestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// backoff is the wait after a refused attempt: what Graph's Retry-After asks, else the schedule.
func backoff(attempt int, retryAfter string) time.Duration {
	d, asked := throttle.RetryAfter(retryAfter)
	return retryBackoff.Wait(attempt, d, asked)
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
}
