// Package expect provides Jest's everyday expect() for goja: matchers, .not, .resolves,
// .rejects and the expect.any / expect.anything asymmetric matchers.
// Failures throw JS Errors named AssertionError; it never prints or touches the test harness.
package expect
