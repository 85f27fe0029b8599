package repl

import "context"

// read waits for the next line while the work earlier lines left running goes on: its
// callbacks run here, on the goroutine that drives the VM, and print above the prompt. The
// Input reads on a goroutine of its own; Tab completion comes back here to look into the VM.
func (r *REPL) read(ctx context.Context, in Input, prompt string) (string, error) {
	type result struct {
		line string
		err  error
	}
	got := make(chan result, 1)
	reading, stop := context.WithCancel(ctx)
	defer stop()
	calls := make(chan func())
	complete := func(before string) Completion {
		reply := make(chan Completion, 1)
		select {
		case calls <- func() { reply <- r.complete(before) }:
			return <-reply
		case <-reading.Done():
			return Completion{}
		}
	}
	go func() {
		line, err := in.ReadLine(prompt, complete)
		got <- result{line, err}
		stop()
	}()
	r.vm.Pump(reading, calls)
	select {
	case res := <-got:
		return res.line, res.err
	default: // ctx ended first; the Input's goroutine ends with its next line
		return "", ctx.Err()
	}
}
