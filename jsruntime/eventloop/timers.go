package eventloop

import (
	"container/heap"
	"time"
)

// minInterval keeps setInterval(fn, 0) from spinning the loop, as in Node.
const minInterval = time.Millisecond

// SetTimer runs fn on the loop after delay, and then every delay when repeat is set, until
// ClearTimer. Timers due at the same time run in the order they were set. An error from fn
// stops the current Run like any callback error (a repeating timer stays scheduled).
func (l *Loop) SetTimer(delay time.Duration, repeat bool, fn func() error) uint64 {
	if delay < 0 {
		delay = 0
	}
	if repeat && delay < minInterval {
		delay = minInterval
	}
	return l.timers.add(time.Now().Add(delay), delay, repeat, fn)
}

// ClearTimer cancels a timer; unknown or already finished ids are ignored.
func (l *Loop) ClearTimer(id uint64) {
	l.timers.remove(id)
}

type timer struct {
	id     uint64
	due    time.Time
	every  time.Duration
	repeat bool
	fn     func() error
	index  int
}

// timerQueue is a min-heap by due time, ties broken by id (creation order).
type timerQueue struct {
	heap   timerHeap
	byID   map[uint64]*timer
	lastID uint64
}

func (q *timerQueue) init() { q.byID = make(map[uint64]*timer) }

func (q *timerQueue) add(due time.Time, every time.Duration, repeat bool, fn func() error) uint64 {
	q.lastID++
	t := &timer{id: q.lastID, due: due, every: every, repeat: repeat, fn: fn}
	q.byID[t.id] = t
	heap.Push(&q.heap, t)
	return t.id
}

func (q *timerQueue) remove(id uint64) {
	if t, ok := q.byID[id]; ok {
		delete(q.byID, id)
		heap.Remove(&q.heap, t.index)
	}
}

func (q *timerQueue) clear() {
	clear(q.byID)
	q.heap = q.heap[:0]
}

func (q *timerQueue) nextDue() (time.Time, bool) {
	if len(q.heap) == 0 {
		return time.Time{}, false
	}
	return q.heap[0].due, true
}

// popDue returns the callback of the earliest timer due by now, rescheduling it when it
// repeats; nil when none is due. A repeating timer's next run counts from now, as in Node.
func (q *timerQueue) popDue(now time.Time) func() error {
	if len(q.heap) == 0 || q.heap[0].due.After(now) {
		return nil
	}
	t := q.heap[0]
	if t.repeat {
		t.due = now.Add(t.every)
		heap.Fix(&q.heap, 0)
	} else {
		heap.Pop(&q.heap)
		delete(q.byID, t.id)
	}
	return t.fn
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].due.Equal(h[j].due) {
		return h[i].id < h[j].id
	}
	return h[i].due.Before(h[j].due)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return t
}
