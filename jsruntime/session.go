package jsruntime

import (
	"context"

	"github.com/dop251/goja"
)

// A REPL session is one VM fed line after line. Unlike a test, an evaluation does not own
// what it starts: timers, promises and Go work it leaves running go on after it returns, as
// in Node's REPL. Their callbacks run during later evaluations and during Pump, while the
// prompt waits for input. Interrupting an evaluation (Ctrl-C, its time limit) stops its
// JavaScript and cancels the Go work started while it ran; earlier lines' work carries on.

// NewVM returns a VM for a REPL session, whose scripts resolve open() against opts.WorkDir.
// Close ends it. Each RunFile makes its own VM instead, isolated per test.
func NewVM(opts Options) (*VM, error) {
	wd, err := workDir(opts)
	if err != nil {
		return nil, err
	}
	// Nothing takes captured output in a session: keeping it would grow for hours.
	vm, err := newVM(opts, wd, wd, false)
	if err != nil {
		return nil, err
	}
	vm.session, vm.endSession = context.WithCancel(context.Background())
	vm.ctx = vm.session
	return vm, nil
}

// OnUncaught sets what hears about failures of work left running in the background (a timer
// callback that throws, a promise rejected with no handler); they never end the session, and
// without a handler they are dropped. fn runs on the goroutine driving the VM.
func (vm *VM) OnUncaught(fn func(*ScriptError)) { vm.uncaught = fn }

// Close ends the session: Go work still running is cancelled, timers are dropped and the
// bindings' cleanups run (the mailboxes' connections are closed).
func (vm *VM) Close() {
	vm.endSession()
	vm.loop.Abandon()
	vm.fetch.Reset()
	vm.end()
}

// Eval runs src as a script in the VM's global scope, so declarations persist from one call
// to the next (a REPL's lines), then runs the event loop until the value settles: a promise
// is awaited and its value returned. A failure is a *ScriptError pointing at the source.
//
// Ending ctx, or the time limit (Options.Timeout), interrupts the evaluation and cancels the
// Go work started while it ran. Otherwise what src leaves running goes on after Eval returns.
// Failures of background work that surface meanwhile go to the OnUncaught handler, and the
// evaluation goes on.
func (vm *VM) Eval(ctx context.Context, src string) (goja.Value, error) {
	limit := vm.opts.timeout()
	ctx, cancel := context.WithTimeoutCause(ctx, limit, &timeoutError{what: "evaluation", limit: limit})
	defer cancel()
	ctx, unwatch, release := vm.watchMemory(ctx, "evaluation")
	defer release()
	defer unwatch()
	work, cancelWork := context.WithCancelCause(vm.session)
	interrupted := context.AfterFunc(ctx, func() { cancelWork(context.Cause(ctx)) })
	reserved := vm.reserved
	vm.ctx = work
	v, err := vm.evaluate(ctx, src)
	vm.ctx = vm.session
	// An evaluation that started no Go work leaves nothing to keep its context for; one that
	// did keeps it until Close, the way Node keeps the promise.
	if interrupted() && vm.reserved == reserved {
		cancelWork(nil)
	}
	if ctx.Err() != nil && !vm.runsJobs() {
		vm.broken = true
	}
	if err != nil {
		return nil, &ScriptError{Detail: *vm.failure(err, nil)}
	}
	return v, nil
}

// evaluate runs src and the loop until src's value settles or ctx ends. A callback's failure
// is reported as uncaught and the wait goes on: it may belong to any earlier line's work.
func (vm *VM) evaluate(ctx context.Context, src string) (goja.Value, error) {
	var (
		s         settlement
		own       error // src's exception, or a failure of its then
		abandoned bool
	)
	// Run may return for an early Ctrl-C before it calls first, which then stays queued: it
	// must not run src at a later line.
	defer func() { abandoned = true }()
	first := func() error {
		if abandoned {
			return nil
		}
		v, err := vm.rt.RunString(src)
		if err == nil {
			err = s.await(vm.rt, v)
		}
		own = err
		return err
	}
	for {
		err := vm.loop.Run(ctx, first, s.done)
		first = nil
		switch {
		case err == nil && !s.settled:
			return nil, &stalledError{what: "evaluation"}
		case err == nil:
			return s.value, s.failed
		case ctx.Err() != nil || own != nil: // a failing callback ends Run at once: own is err
			return nil, err
		}
		vm.report(err)
	}
}

// Pump runs, on the calling goroutine, the callbacks of work that evaluations left running
// (timers, settled Go work, promise reactions) and each function received from calls, until
// ctx ends: a REPL pumps while it waits for a line, so that timers fire at the prompt and Tab
// completion can look into the VM from the line editor's goroutine. Pump returns between
// callbacks; it never interrupts one. Failures go to the OnUncaught handler.
func (vm *VM) Pump(ctx context.Context, calls <-chan func()) {
	vm.ctx = vm.session
	for ctx.Err() == nil {
		woke := false
		wake := vm.loop.RegisterCallback() // keeps the loop waiting for the next call or ctx
		go func() {
			var call func()
			select {
			case <-ctx.Done():
			case call = <-calls:
			}
			wake(func() error {
				woke = true
				if call != nil {
					call()
				}
				return nil
			})
		}()
		for !woke {
			if err := vm.loop.Run(context.Background(), nil, func() bool { return woke }); err != nil {
				vm.report(err)
			}
		}
	}
}

// Broken reports that an interrupt left the engine unable to go on: goja (up to at least
// v0.0.0-20260917) keeps a stale frame when it stops code inside an async function or a
// generator, and from then on never runs a promise reaction. The session must be replaced.
func (vm *VM) Broken() bool { return vm.broken }

// runsJobs checks that goja still runs promise reactions: it settles a promise of its own.
func (vm *VM) runsJobs() bool {
	ran := false
	p, resolve, _ := vm.rt.NewPromise()
	obj := vm.rt.ToValue(p).(*goja.Object)
	then, ok := goja.AssertFunction(obj.Get("then"))
	if !ok {
		return false
	}
	if _, err := then(obj, vm.rt.ToValue(func() { ran = true })); err != nil {
		return false
	}
	return resolve(nil) == nil && ran
}

// report hands a background failure to the OnUncaught handler.
func (vm *VM) report(err error) {
	if vm.uncaught != nil {
		vm.uncaught(&ScriptError{Detail: *vm.failure(err, nil)})
	}
}
