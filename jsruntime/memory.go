package jsruntime

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// A memory budget per running VM. goja allocates from the Go heap and keeps no account of
// what each runtime holds, and Go has no per-goroutine allocation figures, so a VM's own
// usage cannot be measured. What can be, cheaply (runtime/metrics reads no stop-the-world
// state), is the process's heap. So the budget is enforced on the process as a whole: while
// VMs run, the heap may grow to the live heap when the first of them started plus the
// budgets of those running now. A watchdog samples the live heap (what the last collection
// found reachable, so garbage never counts) every memorySample, and when it is over the
// bound, it interrupts one VM, as a timeout does, failing its test with an out-of-memory
// error. The VM interrupted is the one whose test has run longest: a
// runaway test grows for as long as it runs, and tests that merely use memory are usually
// short. If the heap does not fall, the next sample interrupts the next VM, so the bound
// holds whichever test is at fault. While VMs run, debug.SetMemoryLimit is set to the bound
// too, so that the collector works harder near it instead of letting garbage pile up.

// memorySample is how often the watchdog reads the heap: a test allocating as fast as goja
// can (a few hundred MB/s) overshoots its budget by a few tens of MB at most.
const memorySample = 25 * time.Millisecond

// minMaxMemory is the smallest budget accepted: a VM with its globals takes a few MiB.
const minMaxMemory = 16 << 20

// memoryError ends a test or hook whose VM went over its memory budget.
type memoryError struct {
	what  string // "test", "beforeAll hook", ...
	limit int64
}

func (e *memoryError) Error() string {
	return fmt.Sprintf("out of memory: the %s used more than %d MiB (raise --max-memory)", e.what, e.limit>>20)
}

// DefaultMaxMemory is the memory budget of each VM when parallel run at once: half of the
// machine's memory (or of the container's limit) shared between them.
func DefaultMaxMemory(parallel int) int64 {
	return max(int64(totalMemory()/uint64(2*max(parallel, 1))), minMaxMemory)
}

// CheckMaxMemory explains a budget that cannot work.
func CheckMaxMemory(n int64) error {
	if n < minMaxMemory {
		return fmt.Errorf("--max-memory must be at least %d MiB", minMaxMemory>>20)
	}
	return nil
}

func (o Options) maxMemory() int64 {
	if o.MaxMemory > 0 {
		return o.MaxMemory
	}
	return DefaultMaxMemory(1)
}

// watchMemory makes ctx end with a *memoryError when the VM goes over its budget while it
// runs; unwatch says that it no longer runs (the context lives on), cancel releases ctx.
func (vm *VM) watchMemory(ctx context.Context, what string) (_ context.Context, unwatch, cancel func()) {
	ctx, cancelCause := context.WithCancelCause(ctx)
	budget := vm.opts.maxMemory()
	unwatch = heapWatch.add(budget, func() { cancelCause(&memoryError{what: what, limit: budget}) })
	return ctx, unwatch, func() { cancelCause(nil) }
}

// heapWatch is the process's one watchdog: the heap is one, whatever the number of VMs.
var heapWatch watchdog

type watchdog struct {
	mu        sync.Mutex
	running   []*watched // in the order they started
	baseline  uint64     // the live heap when the first of the running VMs started
	firedAt   uint64     // the collection count when a VM was last interrupted, plus one
	prevLimit int64      // the memory limit to restore when no VM runs
}

type watched struct {
	budget int64
	stop   func()
	fired  bool
}

func (w *watchdog) add(budget int64, stop func()) (remove func()) {
	e := &watched{budget: budget, stop: stop}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.running) == 0 {
		// Right after an interrupt the live heap figure may predate the stopped VM's
		// release; a file reloading after it would be measured against a stale baseline.
		// Collect until the figure is current (at most twice, and only after an interrupt).
		for !w.fresh() {
			runtime.GC()
		}
		w.baseline = liveHeap()
	}
	if len(w.running) == 0 {
		w.prevLimit = debug.SetMemoryLimit(-1)
		go w.loop()
	}
	w.running = append(w.running, e)
	w.setLimit()
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		for i, r := range w.running {
			if r == e {
				w.running = append(w.running[:i], w.running[i+1:]...)
				break
			}
		}
		if len(w.running) == 0 {
			debug.SetMemoryLimit(w.prevLimit)
		} else {
			w.setLimit()
		}
	}
}

// bound is the heap allowed while the running VMs run; the caller holds mu.
func (w *watchdog) bound() uint64 {
	b := w.baseline
	for _, r := range w.running {
		b += uint64(r.budget)
	}
	return b
}

// setLimit makes the collector run before the heap goes far past the bound, so that the live
// heap the watchdog reads is fresh there; never above a lower limit the user set
// (GOMEMLIMIT). The quarter above the bound is room for what is not heap objects (stacks,
// the runtime's own), without which the collector would run without end just below the
// bound instead of letting the live heap show that it is over. The caller holds mu.
func (w *watchdog) setLimit() {
	b := w.bound()
	debug.SetMemoryLimit(min(int64(min(b+b/4, math.MaxInt64)), w.prevLimit))
}

// loop samples the heap until no VM runs.
func (w *watchdog) loop() {
	tick := time.NewTicker(memorySample)
	defer tick.Stop()
	for range tick.C {
		w.mu.Lock()
		n, bound := len(w.running), w.bound()
		w.mu.Unlock()
		if n == 0 {
			return
		}
		if liveHeap() > bound {
			w.mu.Lock()
			if w.fresh() {
				w.interruptOne()
			}
			w.mu.Unlock()
		}
	}
}

// interruptOne stops the VM that has run longest and was not stopped yet; the caller holds mu.
func (w *watchdog) interruptOne() {
	for _, r := range w.running {
		if !r.fired {
			r.fired = true
			r.stop()
			w.firedAt = gcCycles() + 1
			return
		}
	}
}

// fresh tells whether the live heap figure was measured after the last interrupted VM let go
// of its memory: by a collection that started after the interrupt, so the second one from
// then. Until then the figure still counts what that VM held. The caller holds mu.
func (w *watchdog) fresh() bool {
	return w.firedAt == 0 || gcCycles() >= w.firedAt+1
}

// liveHeap is the heap that the last collection found reachable: what the process holds,
// without garbage. It is as fresh as the last collection, which the memory limit brings
// about before the heap goes far past the bound.
func liveHeap() uint64 { return readUint("/gc/heap/live:bytes") }

// gcCycles counts the collections so far.
func gcCycles() uint64 { return readUint("/gc/cycles/total:gc-cycles") }

func readUint(metric string) uint64 {
	s := []metrics.Sample{{Name: metric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
