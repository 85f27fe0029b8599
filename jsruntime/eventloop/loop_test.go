package eventloop

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

var errStop = errors.New("stop")

func newLoop(t *testing.T) (*goja.Runtime, *Loop) {
	t.Helper()
	rt := goja.New()
	return rt, New(rt)
}

func TestStartRunsTimersInDueOrder(t *testing.T) {
	rt, l := newLoop(t)
	var got []string
	add := func(name string, d time.Duration) {
		l.SetTimer(d, false, func() error { got = append(got, name); return nil })
	}
	err := l.Start(context.Background(), func() error {
		add("b", 2*time.Millisecond)
		add("a", 0)
		add("a2", 0)
		id := l.SetTimer(0, false, func() error { got = append(got, "cleared"); return nil })
		l.ClearTimer(id)
		_, err := rt.RunString("1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "a,a2,b" {
		t.Fatalf("order = %v, want a,a2,b", got)
	}
}

func TestIntervalRepeatsUntilCleared(t *testing.T) {
	_, l := newLoop(t)
	n := 0
	var id uint64
	err := l.Start(context.Background(), func() error {
		id = l.SetTimer(0, true, func() error {
			n++
			if n == 3 {
				l.ClearTimer(id)
			}
			return nil
		})
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("n = %d, err = %v; want 3 runs and no error", n, err)
	}
}

func TestRegisteredCallbackKeepsLoopAlive(t *testing.T) {
	_, l := newLoop(t)
	ran := false
	err := l.Start(context.Background(), func() error {
		cb := l.RegisterCallback()
		go func() {
			time.Sleep(time.Millisecond)
			cb(func() error { ran = true; return nil })
			cb(func() error { t.Error("second call ran"); return nil })
		}()
		return nil
	})
	if err != nil || !ran {
		t.Fatalf("ran = %v, err = %v", ran, err)
	}
}

func TestContextEndsRun(t *testing.T) {
	tests := []struct {
		name   string
		script string // run inside the loop; "" waits on a callback that never comes
	}{
		{"waiting on go work", ""},
		{"busy javascript", "for (;;) {}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt, l := newLoop(t)
			ctx, cancel := context.WithCancelCause(context.Background())
			time.AfterFunc(5*time.Millisecond, func() { cancel(errStop) })
			err := l.Start(ctx, func() error {
				if tt.script == "" {
					l.RegisterCallback()
					return nil
				}
				_, err := rt.RunString(tt.script)
				return err
			})
			if !errors.Is(err, errStop) {
				t.Fatalf("err = %v, want it to wrap the context's cause", err)
			}
			var ie *goja.InterruptedError
			if tt.script != "" && !errors.As(err, &ie) {
				t.Fatalf("err = %T, want *goja.InterruptedError", err)
			}
			l.Abandon()
			if v, err := rt.RunString("40 + 2"); err != nil || v.ToInteger() != 42 {
				t.Fatalf("VM unusable after the run: %v %v", v, err)
			}
		})
	}
}

func TestUnhandledRejection(t *testing.T) {
	tests := []struct {
		script  string
		wantErr string
	}{
		{"Promise.reject(new Error('lost'))", "Uncaught (in promise) Error: lost"},
		{"Promise.reject(1).catch(() => {})", ""},
		{"const p = Promise.reject(2); p.then(null, () => {})", ""},
		{"(async () => { throw new TypeError('async') })()", "Uncaught (in promise) TypeError: async"},
	}
	for _, tt := range tests {
		t.Run(tt.script, func(t *testing.T) {
			rt, l := newLoop(t)
			err := l.Start(context.Background(), func() error {
				_, err := rt.RunString(tt.script)
				return err
			})
			got := ""
			if err != nil {
				got = err.Error()
				var ur *UnhandledRejectionError
				if !errors.As(err, &ur) {
					t.Fatalf("err = %T, want *UnhandledRejectionError", err)
				}
			}
			if got != tt.wantErr {
				t.Fatalf("err = %q, want %q", got, tt.wantErr)
			}
		})
	}
}

func TestAbandonDropsLateWork(t *testing.T) {
	_, l := newLoop(t)
	var cb func(func() error)
	err := l.Run(context.Background(), func() error {
		cb = l.RegisterCallback()
		l.SetTimer(time.Hour, false, func() error { return nil })
		return nil
	}, func() bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	l.Abandon()
	cb(func() error { t.Error("abandoned callback ran"); return nil })
	if err := l.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestPanicBecomesError(t *testing.T) {
	rt, l := newLoop(t)
	rt.Set("explode", func() { panic("kaboom") })
	err := l.Start(context.Background(), func() error {
		_, err := rt.RunString("function f() { explode() } f()")
		return err
	})
	var pe *PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "panic: kaboom") {
		t.Fatalf("err = %v, want a PanicError", err)
	}
	if v, err := rt.RunString("[1,2].map(x => x * 2).join()"); err != nil || v.String() != "2,4" {
		t.Fatalf("VM unusable after a panic: %v %v", v, err)
	}
}

func TestCallbackErrorStopsRunAndKeepsQueue(t *testing.T) {
	_, l := newLoop(t)
	var ran []int
	err := l.Start(context.Background(), func() error {
		l.SetTimer(0, false, func() error { ran = append(ran, 1); return errStop })
		l.SetTimer(0, false, func() error { ran = append(ran, 2); return nil })
		return nil
	})
	if !errors.Is(err, errStop) || len(ran) != 1 {
		t.Fatalf("err = %v, ran = %v", err, ran)
	}
	if err := l.Start(context.Background(), nil); err != nil || len(ran) != 2 {
		t.Fatalf("second run: err = %v, ran = %v", err, ran)
	}
}

// TestCallbackRacingIdleCheck: a callback queued by another goroutine while the loop decides
// whether it is idle must still run (the loop once returned early in that window).
func TestCallbackRacingIdleCheck(t *testing.T) {
	rt := goja.New()
	l := New(rt)
	for i := range 3000 {
		ran := false
		err := l.Start(context.Background(), func() error {
			cb := l.RegisterCallback()
			go cb(func() error { ran = true; return nil })
			return nil
		})
		if err != nil || !ran {
			t.Fatalf("iteration %d: err %v, callback ran: %v", i, err, ran)
		}
	}
}
