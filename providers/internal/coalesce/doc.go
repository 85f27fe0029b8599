// Package coalesce shares work between concurrent callers: a Coalescer gathers their calls
// into batches, a Group runs one call per key for everyone who asks for it. Shared work runs
// on a context that ends when the last caller waiting for it has gone, never because one of
// them did; each caller waits only as long as its own context lets it.
package coalesce
