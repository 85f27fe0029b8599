package eventloop

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// Loop runs callbacks and timers on the goroutine that calls Run. Only RegisterCallback's
// returned function may be used from other goroutines; everything else belongs to the loop
// goroutine, like the VM itself.
type Loop struct {
	rt *goja.Runtime

	mu      sync.Mutex
	queue   []func() error
	pending int    // reserved slots of the current epoch not yet used
	epoch   uint64 // bumped by Abandon: callbacks reserved before it are dropped
	wake    chan struct{}

	timers     timerQueue
	rejections rejectionSet
}

// New returns a loop for rt and makes it track rt's unhandled promise rejections.
func New(rt *goja.Runtime) *Loop {
	l := &Loop{rt: rt, wake: make(chan struct{}, 1)}
	l.timers.init()
	rt.SetPromiseRejectionTracker(l.rejections.track)
	return l
}

// RegisterCallback reserves a slot: Run keeps waiting until the returned function is called.
// That function must be called exactly once, from any goroutine; it queues fn to run on the
// loop. Calls after Abandon, and second calls, are ignored so that late Go work cannot
// disturb a later test.
func (l *Loop) RegisterCallback() func(fn func() error) {
	l.mu.Lock()
	l.pending++
	epoch := l.epoch
	l.mu.Unlock()
	var once sync.Once
	return func(fn func() error) {
		once.Do(func() {
			l.mu.Lock()
			if epoch != l.epoch {
				l.mu.Unlock()
				return
			}
			l.pending--
			l.queue = append(l.queue, fn)
			l.mu.Unlock()
			select {
			case l.wake <- struct{}{}:
			default:
			}
		})
	}
}

// Abandon forgets all queued callbacks, reserved slots, timers and unreported rejections,
// so the next Run starts clean. The Go work behind forgotten slots should be stopped by
// cancelling its context; its late callbacks are dropped.
func (l *Loop) Abandon() {
	l.mu.Lock()
	l.epoch++
	l.pending = 0
	l.queue = nil
	l.mu.Unlock()
	l.timers.clear()
	l.rejections.clear()
}

// Start runs fn, then callbacks and timers until the loop is idle: no queued callback, no
// reserved slot and no timer left. See Run for errors.
func (l *Loop) Start(ctx context.Context, fn func() error) error {
	return l.Run(ctx, fn, nil)
}

// Run queues fn (when not nil) and processes callbacks and timers until done reports true,
// the loop is idle, ctx ends or a callback fails. It returns nil in the first two cases; the
// caller tells them apart with done. When ctx ends, a script busy in JavaScript is
// interrupted and Run returns an error wrapping context.Cause(ctx) (a *goja.InterruptedError
// when JavaScript was running, with the stack where it stopped). A callback's error, an
// *UnhandledRejectionError or a *PanicError stops the run too; later queued callbacks stay
// queued. The VM is never left interrupted when Run returns.
func (l *Loop) Run(ctx context.Context, fn func() error, done func() bool) error {
	interrupted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		l.rt.Interrupt(context.Cause(ctx))
		close(interrupted)
	})
	defer func() {
		if !stop() {
			<-interrupted
			l.rt.ClearInterrupt()
		}
	}()
	if fn != nil {
		l.mu.Lock()
		l.queue = append(l.queue, fn)
		l.mu.Unlock()
	}
	var wait *time.Timer
	defer func() {
		if wait != nil {
			wait.Stop()
		}
	}()
	for {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if f := l.next(); f != nil {
			if err := l.call(f); err != nil {
				return err
			}
			if done != nil && done() {
				return nil
			}
			continue
		}
		if done != nil && done() {
			return nil
		}
		// Pending slots and the queue are read under one lock: a callback that arrives between
		// next() and here has moved from one to the other, and must not look like idleness.
		l.mu.Lock()
		awaiting, queued := l.pending > 0, len(l.queue) > 0
		l.mu.Unlock()
		if queued {
			continue
		}
		next, ok := l.timers.nextDue()
		if !ok && !awaiting {
			return nil
		}
		var timerC <-chan time.Time
		if ok {
			d := time.Until(next)
			if wait == nil {
				wait = time.NewTimer(d)
			} else {
				wait.Reset(d)
			}
			timerC = wait.C
		}
		select {
		case <-l.wake:
		case <-timerC:
		case <-ctx.Done():
		}
	}
}

// next returns the next callback to run: queued Go callbacks first, then a due timer.
func (l *Loop) next() func() error {
	l.mu.Lock()
	if len(l.queue) > 0 {
		f := l.queue[0]
		l.queue[0] = nil
		l.queue = l.queue[1:]
		l.mu.Unlock()
		return f
	}
	l.mu.Unlock()
	return l.timers.popDue(time.Now())
}

// call runs one callback, then reports any promise rejection it left unhandled. A Go panic
// (a bug in a binding) becomes an error instead of crashing the process.
func (l *Loop) call(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	if err := f(); err != nil {
		l.rejections.clear()
		return err
	}
	return l.rejections.check()
}

// PanicError is a Go panic recovered on the loop: a bug in Go code called by the script.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error (a bug in mailscript, please report it): panic: %v", e.Value)
}
