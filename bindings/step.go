package bindings

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings/jsfmt"
	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/providers"
)

// StepRecorder is implemented by a VU that keeps a timeline of each test for a report (the
// HTML report): every mail call, fetch and console line is a step. OpenStep is called on the
// loop when the step starts and returns nil when recording is off, in which case Args is
// never called: a binding pays for formatting only when someone will read the result.
// The recorder redacts secrets from what it keeps.
type StepRecorder interface {
	OpenStep(s StepStart) Step
}

// StepStart describes a step as it starts.
type StepStart struct {
	Kind    string        // "mail", "fetch" or "console"
	Name    string        // the method ("waitFor"), "GET url", or the console method ("log")
	Mailbox string        // a mail call's mailbox address
	Args    func() string // the arguments as shown, called only when recording; nil for none
}

// Step is a step in progress. Its methods may be called from any goroutine; a step never
// ended is shown as still pending when the test ended.
type Step interface {
	// Poll adds one of waitFor's looks at the mailbox.
	Poll(p providers.Poll)
	End(e StepEnd)
}

// StepEnd is how a step ended.
type StepEnd struct {
	At       time.Time // when the call finished; zero means now, and before the start means at once
	Err      error     // nil: the step succeeded
	Result   string    // a short description of what came back
	Messages []*mailview.Message
}

// OpenStep starts a step on vu's recorder; nil when the VU records none.
func OpenStep(vu VU, s StepStart) Step {
	r, ok := vu.(StepRecorder)
	if !ok {
		return nil
	}
	return r.OpenStep(s)
}

// Note records a step that took no time, such as a console line, with its result.
func Note(vu VU, s StepStart, result string) {
	at := time.Now()
	if step := OpenStep(vu, s); step != nil {
		step.End(StepEnd{At: at, Result: result})
	}
}

// maxArgs bounds a step's arguments as shown, in characters, and maxArgString each string
// in them: a draft with a long HTML body would otherwise fill the report on every send.
const (
	maxArgs      = 2000
	maxArgString = 500
)

// FormatCallArgs renders a call's arguments as console.log shows values, strings quoted,
// separated by commas and cut at a sensible length.
func FormatCallArgs(rt *goja.Runtime, args []goja.Value) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = jsfmt.Format(rt, a, jsfmt.Options{MaxStringLength: maxArgString})
	}
	s := strings.Join(parts, ", ")
	n := 0
	for i := range s {
		if n == maxArgs {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Recorded wraps the work of a call that step (possibly nil) records: the work runs with a
// context whose waitFor polls are added to the step, and the step ends with the outcome;
// describe, called off the loop only after success, gives the result shown and the messages
// read or sent. Without a step it returns work itself.
func Recorded[T any](step Step, work func(ctx context.Context) (T, error), describe func(ctx context.Context, v T) (string, []*mailview.Message)) func(ctx context.Context) (T, error) {
	if step == nil {
		return work
	}
	return func(ctx context.Context) (T, error) {
		defer func() {
			// Async turns a panic into the promise's rejection; the step fails with it.
			if r := recover(); r != nil {
				step.End(StepEnd{Err: fmt.Errorf("internal error (please report it): %v", r)})
				panic(r)
			}
		}()
		v, err := work(providers.WithPollObserver(ctx, step.Poll))
		end := StepEnd{At: time.Now(), Err: err}
		if err == nil && describe != nil {
			end.Result, end.Messages = describe(ctx, v)
		}
		step.End(end)
		return v, err
	}
}
