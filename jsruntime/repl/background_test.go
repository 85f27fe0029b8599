package repl

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/jsruntime"
)

// syncBuffer is an output the test reads while the REPL's goroutine writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// feed is an Input the test types into line by line, waiting in between as a user would. A
// line starting with a tab asks for completion of the rest instead.
type feed struct {
	lines       chan string
	completions chan Completion
}

func (f *feed) ReadLine(_ string, complete func(string) Completion) (string, error) {
	for line := range f.lines {
		if before, ok := strings.CutPrefix(line, "\t"); ok {
			f.completions <- complete(before)
			continue
		}
		return line, nil
	}
	return "", io.EOF
}

// fixture installs later(): Go work that ends when the test releases a value (resolving the
// promise with it) or when its context ends (noted on cancelled), like a waitFor.
type fixture struct {
	release   chan string
	started   chan struct{}
	cancelled chan struct{}
}

func (l *fixture) install(vu bindings.VU, global *goja.Object) error {
	// ready() notes on started, once the line that called it has run to its await.
	if err := global.Set("ready", func() {
		notify := vu.RegisterCallback()
		go notify(func() error { l.started <- struct{}{}; return nil })
	}); err != nil {
		return err
	}
	// busy() notes on started at once: the line that called it is still running.
	if err := global.Set("busy", func() { l.started <- struct{}{} }); err != nil {
		return err
	}
	return global.Set("later", func() *goja.Promise {
		return bindings.Async(vu, func(ctx context.Context) (string, error) {
			select {
			case v := <-l.release:
				return v, nil
			case <-ctx.Done():
				l.cancelled <- struct{}{}
				return "", ctx.Err()
			}
		}, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) })
	})
}

// step is one thing the user does: release later()'s value, type a line, press Ctrl-C once
// the line runs (and has noted started, with started); then the whole output must read want.
type step struct {
	release   string
	line      string
	started   bool
	interrupt bool
	want      string
}

func TestBackgroundWork(t *testing.T) {
	const (
		stopped = "Uncaught Interrupted: the run was stopped before this finished\n"
		broken  = "The JavaScript engine cannot go on after stopping code inside an async function: starting a new context, variables are gone.\n"
	)
	tests := []struct {
		name      string
		steps     []step
		cancelled int // later() calls whose context was cancelled
	}{
		{name: "a timer fires while the prompt waits", steps: []step{
			{line: "setTimeout(() => console.log('tick'), 0); 'set'", want: "'set'\ntick\n"},
		}},
		{name: "an unawaited promise is awaited on a later line", steps: []step{
			{line: "const p = later()", want: "undefined\n"},
			{line: "await p", want: "undefined\n"},
			{release: "mail", want: "undefined\n'mail'\n"},
		}},
		{name: "a background promise settles at the prompt", steps: []step{
			{line: "later().then(v => console.log('arrived', v)); 'waiting'", want: "'waiting'\n"},
			{release: "mail", want: "'waiting'\narrived mail\n"},
		}},
		{name: "Ctrl-C stops only the evaluation that awaits", steps: []step{
			{line: "const p = later()", want: "undefined\n"},
			{line: "const timer = setTimeout(() => console.log('timer survived'), 0)", want: "undefined\nundefined\ntimer survived\n"},
			{line: "ready(); await p", started: true, interrupt: true, want: "undefined\nundefined\ntimer survived\n" + stopped},
			{release: "late", line: "await p", want: "undefined\nundefined\ntimer survived\n" + stopped + "'late'\n"},
		}},
		{name: "Ctrl-C cancels the Go work of the running line", cancelled: 1, steps: []step{
			{line: "ready(); await later()", started: true, interrupt: true, want: stopped},
			{line: "'alive'", want: stopped + "'alive'\n"},
		}},
		{name: "background failures print and the session lives on", steps: []step{
			{line: "setTimeout(() => { throw new Error('bang') }, 0); 1", want: "1\nUncaught Error: bang\n"},
			{line: "setTimeout(() => Promise.reject(new TypeError('lost')), 0); 2",
				want: "1\nUncaught Error: bang\n2\nUncaught TypeError: unhandled promise rejection: lost\n"},
		}},
		{name: "a background failure does not end the evaluation in progress", steps: []step{
			{line: "setTimeout(() => { throw new Error('bang') }, 0); await later()", want: "Uncaught Error: bang\n"},
			{release: "still awaited", want: "Uncaught Error: bang\n'still awaited'\n"},
		}},
		{name: "Ctrl-C in busy async code starts a new context", steps: []step{
			{line: "const kept = 1", want: "undefined\n"},
			{line: "await null; busy(); for (;;) {}", started: true, interrupt: true, want: "undefined\n" + stopped + broken},
			{line: "typeof kept", want: "undefined\n" + stopped + broken + "'undefined'\n"},
			{line: "await Promise.resolve('promises work again')", want: "undefined\n" + stopped + broken + "'undefined'\n'promises work again'\n"},
		}},
		{name: ".clear ends the old session's work", cancelled: 1, steps: []step{
			{line: "const p = later(); setInterval(() => console.log('never'), 1e6)", want: "1\n"},
			{line: ".clear", want: "1\nClearing context...\n"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			l := &fixture{release: make(chan string), started: make(chan struct{}, 10), cancelled: make(chan struct{}, 10)}
			interrupts := make(chan struct{})
			r, err := New(Options{
				VM:         jsruntime.Options{Install: l.install, WorkDir: t.TempDir(), Stdout: &out, Env: func(string) string { return "" }},
				Stdout:     &out,
				Interrupts: interrupts,
			})
			if err != nil {
				t.Fatal(err)
			}
			in := &feed{lines: make(chan string)}
			done := make(chan error)
			go func() { done <- r.Run(context.Background(), in) }()
			for _, s := range tt.steps {
				if s.release != "" {
					l.release <- s.release
				}
				if s.line != "" {
					in.lines <- s.line
				}
				if s.started {
					<-l.started
				}
				if s.interrupt {
					interrupts <- struct{}{}
				}
				waitOutput(t, &out, s.want)
			}
			close(in.lines)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			// Cancelling reaches the Go work asynchronously: wait for it, then for no more.
			for deadline := time.Now().Add(30 * time.Second); len(l.cancelled) < tt.cancelled && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			if got := len(l.cancelled); got != tt.cancelled {
				t.Errorf("%d later() calls were cancelled, want %d", got, tt.cancelled)
			}
			r.Close()
		})
	}
}

// TestCompletionWhilePumping asks for completion while the VM runs a timer at the prompt:
// the line editor's goroutine must not touch the VM itself (the race detector checks).
func TestCompletionWhilePumping(t *testing.T) {
	var out syncBuffer
	r, err := New(Options{
		VM:     jsruntime.Options{WorkDir: t.TempDir(), Stdout: &out, Env: func(string) string { return "" }},
		Stdout: &out,
	})
	if err != nil {
		t.Fatal(err)
	}
	in := &feed{lines: make(chan string), completions: make(chan Completion)}
	done := make(chan error)
	go func() { done <- r.Run(context.Background(), in) }()
	in.lines <- "const box = {list() {}, listFolders() {}}; let n = 0; setInterval(() => n++ || console.log('ticking'), 1)"
	waitOutput(t, &out, "1\nticking\n")
	in.lines <- "\tbox.li"
	got := <-in.completions
	if got.Prefix != "li" || !slices.Equal(got.Candidates, []string{"list", "listFolders"}) {
		t.Errorf("completion %q %q, want li [list listFolders]", got.Prefix, got.Candidates)
	}
	close(in.lines)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	r.Close()
}

// waitOutput waits until out reads want; the deadline only guards against a hang.
func waitOutput(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if out.String() == want {
			return
		}
	}
	t.Fatalf("output %q, want %q", out.String(), want)
}
