package timers

import (
	"math"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
)

// Scheduler is what timers need of the event loop. Callbacks run on the loop goroutine; an
// error they return fails the script like an uncaught exception.
type Scheduler interface {
	SetTimer(delay time.Duration, repeat bool, fn func() error) uint64
	ClearTimer(id uint64)
}

// Install defines setTimeout, setInterval, clearTimeout, clearInterval and sleep on global.
func Install(vu bindings.VU, global *goja.Object, s Scheduler) error {
	rt := vu.Runtime()
	clearTimer := func(id goja.Value) {
		if n := id.ToFloat(); n > 0 && !math.IsNaN(n) {
			s.ClearTimer(uint64(n))
		}
	}
	set := func(name string, repeat bool) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			fn, ok := goja.AssertFunction(call.Argument(0))
			if !ok {
				panic(rt.NewTypeError("%s(callback, delay): callback must be a function", name))
			}
			var args []goja.Value
			if len(call.Arguments) > 2 {
				args = append(args, call.Arguments[2:]...)
			}
			id := s.SetTimer(delay(call.Argument(1)), repeat, func() error {
				_, err := fn(goja.Undefined(), args...)
				return err
			})
			return rt.ToValue(id)
		}
	}
	sleep := func(d goja.Value) *goja.Promise {
		dur, err := bindings.Duration(d, "sleep(duration)")
		if err != nil {
			panic(rt.NewTypeError(err.Error()))
		}
		p, resolve, _ := rt.NewPromise()
		s.SetTimer(dur, false, func() error { return resolve(goja.Undefined()) })
		return p
	}
	for name, v := range map[string]any{
		"setTimeout":    set("setTimeout", false),
		"setInterval":   set("setInterval", true),
		"clearTimeout":  clearTimer,
		"clearInterval": clearTimer,
		"sleep":         sleep,
	} {
		if err := global.Set(name, v); err != nil {
			return err
		}
	}
	return nil
}

// delay reads a timer delay the way browsers and Node do: milliseconds, anything that is not
// a positive number counts as 0.
func delay(v goja.Value) time.Duration {
	ms := v.ToFloat()
	if math.IsNaN(ms) || ms <= 0 {
		return 0
	}
	if ms > math.MaxInt64/float64(time.Millisecond) {
		ms = math.MaxInt64 / float64(time.Millisecond)
	}
	return time.Duration(ms * float64(time.Millisecond))
}
