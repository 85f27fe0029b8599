package google

import (
	"context"
	"errors"
	"net/http"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/internal/throttle"
)

// maxAttempts bounds the tries of one call; with the backoff below that is about 30 s of a
// service saying "later", after which the script gets THROTTLED or UNAVAILABLE.
const maxAttempts = 8

// retryBackoff spaces the tries: doubling from 250 ms up to 8 s, or what a Retry-After asks.
// A variable so that tests of fault storms do not sleep for real seconds.
var retryBackoff = throttle.Backoff{First: 250 * time.Millisecond, Max: 8 * time.Second, Cap: time.Minute}

// outcome classifies a failed attempt.
type outcome int

const (
	fatal     outcome = iota // retrying cannot help
	refused                  // the service did not act on the request: safe to repeat
	ambiguous                // the request may have taken effect: repeat only if idempotent
	staleAuth                // the access token was refused: fetch a new one and repeat
)

// classify decides what a failure means for a retry, and how long the service asked to wait.
func classify(err error) (outcome, time.Duration) {
	var ge *googleapi.Error
	var re *oauth2.RetrieveError
	var ae *authError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, errHistoryExpired):
		return fatal, 0
	case untrusted(err):
		return fatal, 0
	case errors.As(err, &re):
		if re.Response != nil && (re.Response.StatusCode >= 500 || re.Response.StatusCode == http.StatusTooManyRequests) {
			return refused, retryAfter(re.Response.Header)
		}
		return fatal, 0
	case providers.Unreachable(err):
		return fatal, 0 // nothing listens there or the name does not resolve: the error names the host
	case errors.As(err, &ae):
		return refused, 0 // the token could not be fetched, so the call was never sent
	case errors.As(err, &ge):
		wait := retryAfter(ge.Header)
		switch {
		case ge.Code == http.StatusTooManyRequests:
			return refused, wait
		case ge.Code == http.StatusForbidden && len(ge.Errors) > 0 &&
			(ge.Errors[0].Reason == "rateLimitExceeded" || ge.Errors[0].Reason == "userRateLimitExceeded"):
			return refused, wait
		case ge.Code == http.StatusUnauthorized:
			return staleAuth, 0
		case ge.Code == http.StatusServiceUnavailable:
			return refused, wait
		case ge.Code >= 500:
			return ambiguous, wait
		}
		return fatal, 0
	}
	// No HTTP answer (connection reset, EOF): the request may or may not have arrived.
	return ambiguous, 0
}

func retryAfter(h http.Header) time.Duration {
	d, _ := throttle.RetryAfter(h.Get("Retry-After"))
	return d
}

// backoff is the wait after refused try number attempt (1 for the first): what the service
// asked for, when it did, else the schedule.
func backoff(attempt int, asked time.Duration) time.Duration {
	return retryBackoff.Wait(attempt, asked, asked > 0)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error { return providers.Sleep(ctx, d) }

// retry runs attempt until it succeeds, fails for good, or maxAttempts pass. When an attempt's
// outcome is ambiguous, settled (if not nil) is asked whether the request took effect; an
// idempotent call passes nil and is simply repeated.
func (m *mailbox) retry(ctx context.Context, c call, attempt func(ctx context.Context) error, settled func(ctx context.Context) (bool, error)) error {
	var err error
	reauthed := false
	for i := 0; i < maxAttempts; i++ {
		var used string
		err = attempt(withUsedToken(ctx, &used))
		if err == nil {
			return nil
		}
		kind, wait := classify(err)
		switch kind {
		case fatal:
			return m.apiError(c, err)
		case staleAuth:
			if reauthed {
				return m.apiError(c, err)
			}
			reauthed = true
			m.tokens.Invalidate(used)
			continue
		case ambiguous:
			if settled != nil {
				done, serr := settled(ctx)
				if serr != nil {
					return m.apiError(c, serr)
				}
				if done {
					return nil
				}
			}
		}
		if serr := sleep(ctx, backoff(i+1, wait)); serr != nil {
			return m.apiError(c, err)
		}
	}
	return m.apiError(c, err)
}

func untrusted(err error) bool {
	_, ok := providers.UntrustedCertificate(err)
	return ok
}
