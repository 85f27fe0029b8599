package bindings

import (
	"context"
	"fmt"
	"io"

	"github.com/dop251/goja"
)

// VU is what a binding may use of the VM it is installed in. Every method is called on the
// loop goroutine only, like every touch of the goja.Runtime.
type VU interface {
	Runtime() *goja.Runtime
	// Context is cancelled when the current test times out or the run is stopped; Go work
	// started for the script must honour it.
	Context() context.Context
	// RegisterCallback reserves a slot on the event loop, which keeps running until the slot
	// is used. The returned function must be called exactly once, from any goroutine; it
	// queues fn to run on the loop, where fn may touch the VM. An error returned by fn fails
	// the script as an uncaught exception.
	RegisterCallback() func(fn func() error)
	// Env is the process environment as the script sees it (after --env-file).
	Env() func(key string) string
	// Stdout and Stderr are where console output goes.
	Stdout() io.Writer
	Stderr() io.Writer
	// Dir is the folder of the running script: relative paths in open() resolve against it.
	Dir() string
}

// PendingTracker is implemented by a VU that wants to know which calls a test left running,
// so that a mail call or fetch nobody awaited fails its test instead of being cut short
// unseen when the test ends. TrackPending is called on the loop with the script's stack at
// the call and returns the function Async calls, on the loop, when the promise settles.
type PendingTracker interface {
	TrackPending(stack []goja.StackFrame) (settled func())
}

// Cleaner is implemented by a VU that ends (a test file's VM, a REPL session). Cleanup
// registers release, called once on the VU's goroutine when the VM ends, last registered first
// as with testing.T.Cleanup: a binding frees there what it holds beyond the VM's memory (a
// mailbox's connections). Work the VM started may still be finishing then.
type Cleaner interface {
	Cleanup(release func())
}

// Async runs work in its own goroutine with the VU's context and returns a promise that is
// settled on the loop: resolved with toJS of the result, or rejected with Error(err).
func Async[T any](vu VU, work func(ctx context.Context) (T, error), toJS func(rt *goja.Runtime, v T) goja.Value) *goja.Promise {
	promise, _ := AsyncAbortable(vu, work, toJS)
	return promise
}

// AsyncAbortable is Async for work the script can give up on (fetch's AbortSignal): calling
// abandon, on the loop, tells the VU that the script no longer waits for the promise, so a
// test that ends before the cancelled work has wound down is not failed for not awaiting it.
func AsyncAbortable[T any](vu VU, work func(ctx context.Context) (T, error), toJS func(rt *goja.Runtime, v T) goja.Value) (promise *goja.Promise, abandon func()) {
	rt := vu.Runtime()
	promise, resolve, reject := rt.NewPromise()
	callback := vu.RegisterCallback()
	ctx := vu.Context()
	site := captureCallSite(rt)
	settled := func() {}
	if t, ok := vu.(PendingTracker); ok {
		settled = t.TrackPending(site.frames)
	}
	go func() {
		var (
			v   T
			err error
		)
		func() {
			// A bug in a provider must fail the script's promise, not crash the whole run.
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("internal error (please report it): %v", r)
				}
			}()
			v, err = work(ctx)
		}()
		callback(func() error {
			settled()
			if err != nil {
				return reject(site.errorAt(rt, err))
			}
			return resolve(toJS(rt, v))
		})
	}()
	return promise, settled
}
