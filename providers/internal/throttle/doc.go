// Package throttle holds what the providers share to stay within a mail service's limits and
// to recover when it refuses: the retry backoff, Retry-After, and a response body that frees a
// concurrency slot when it is closed. It knows no service and makes no request.
package throttle
