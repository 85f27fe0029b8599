package jsruntime

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/jsfmt"
	"github.com/mailscript/mailscript/jsruntime/eventloop"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// maxFrames caps stacks in reports: a runaway recursion has thousands of identical frames.
const maxFrames = 12

// timeoutError ends a test or hook that ran longer than its limit.
type timeoutError struct {
	what  string // "test", "beforeAll hook", ...
	limit time.Duration
	// waiting is where the oldest mail call or fetch still running at the limit was started:
	// what the test was waiting for, which the report points at instead of the test's line.
	waiting []frame
}

func (e *timeoutError) Error() string {
	still := ""
	if len(e.waiting) > 0 {
		still = ", still waiting for the call below"
	}
	return fmt.Sprintf("%s timed out after %s%s; if it needs longer, raise the limit with --timeout or a timeout argument", e.what, e.limit, still)
}

// Is makes a time limit a deadline to the Go work it stops, also when the limit reaches
// the work as a cancellation (a REPL line's), so that a mail call cut short by it reports
// TIMEOUT, and one stopped with the run (Ctrl-C, --bail) CANCELLED.
func (e *timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// hookError is a hook's failure, which fails tests that did nothing wrong themselves: the
// report says which hook it was.
type hookError struct {
	what string // "beforeEach hook", ...
	err  error
}

func (e *hookError) Error() string { return e.what + ": " + e.err.Error() }
func (e *hookError) Unwrap() error { return e.err }

// stalledError ends a test whose promise can no longer settle.
type stalledError struct{ what string }

func (e *stalledError) Error() string {
	return e.what + " never finished: it awaits a promise that nothing is left to settle (no timer or pending operation)"
}

// unawaitedError fails a test that left a .resolves/.rejects expectation pending: its verdict
// would never be heard.
type unawaitedError struct {
	what   string // "resolves", "rejects", or "call" for a mail call or fetch
	frames []frame
	more   int // further unawaited expectations or calls in the same test
}

func (e *unawaitedError) Error() string {
	var msg string
	if e.what == "call" {
		msg = "a mail call or fetch started here was not awaited: it was still running when the test ended, which cancels it and loses its outcome; await its promise (or return it)"
	} else {
		msg = fmt.Sprintf("expect(...).%s was not awaited: its promise was still pending when the test ended; write await expect(...).%s.toBe(...) (or return it) so that the test waits for the verdict", e.what, e.what)
	}
	if e.more > 0 {
		msg += fmt.Sprintf(" (and %d more not awaited)", e.more)
	}
	return msg
}

// unawaited is an *unawaitedError for the .resolves/.rejects expectations, then the mail calls
// and fetches, still pending, or nil. It forgets them either way.
func (vm *VM) unawaited() error {
	pending, calls := vm.expect.Unawaited(), vm.pending.take()
	switch {
	case len(pending) > 0:
		return &unawaitedError{what: pending[0].What, frames: gojaFrames(pending[0].Stack), more: len(pending) - 1 + len(calls)}
	case len(calls) > 0:
		return &unawaitedError{what: "call", frames: gojaFrames(calls[0].frames), more: len(calls) - 1}
	}
	return nil
}

// stoppedMessage explains a failure caused by the run's own context ending.
const stoppedMessage = "the run was stopped before this finished"

type frame struct {
	fn, file  string
	line, col int
}

func (f frame) String(display func(string) string) string {
	loc := fmt.Sprintf("%s:%d:%d", display(f.file), f.line, f.col)
	if f.fn == "" || f.fn == "<anonymous>" {
		return "    at " + loc
	}
	return "    at " + f.fn + " (" + loc + ")"
}

// userFrame keeps frames that the source map took back to a user's file: native functions
// and esbuild's own helpers (unmapped lines of the bundle) are not the user's to fix.
func userFrame(f goja.StackFrame) (frame, bool) {
	p := f.Position()
	if p.Filename == "" || strings.HasSuffix(p.Filename, ".bundle.js") {
		return frame{}, false
	}
	return frame{fn: f.FuncName(), file: unescape(p.Filename), line: p.Line, col: p.Column}, true
}

// unescape undoes the URL escaping goja applies to source-mapped file names.
func unescape(name string) string {
	if s, err := url.PathUnescape(name); err == nil {
		return s
	}
	return name
}

// stackLine matches goja's frames in Error.prototype.stack: "at fn (file:1:2(3))" or "at file:1:2(3)".
var stackLine = regexp.MustCompile(`^\s*at (?:(.*?) \()?(.+):(\d+):(\d+)\(\d+\)\)?$`)

func parseStack(stack string) []frame {
	var frames []frame
	for _, l := range strings.Split(stack, "\n") {
		m := stackLine.FindStringSubmatch(l)
		if m == nil || strings.HasSuffix(m[2], ".bundle.js") {
			continue
		}
		line, _ := strconv.Atoi(m[3])
		col, _ := strconv.Atoi(m[4])
		frames = append(frames, frame{fn: m[1], file: unescape(m[2]), line: line, col: col})
	}
	return frames
}

func gojaFrames(stack []goja.StackFrame) []frame {
	var frames []frame
	for _, f := range stack {
		if fr, ok := userFrame(f); ok {
			frames = append(frames, fr)
		}
	}
	return frames
}

// failure describes whatever ended a test, hook or script as the user should see it; site is
// the test's declaration, the location used when nothing better is known.
func (vm *VM) failure(err error, site *frame) *report.Error {
	var (
		ie  *goja.InterruptedError
		so  *goja.StackOverflowError
		ex  *goja.Exception
		ur  *eventloop.UnhandledRejectionError
		pe  *eventloop.PanicError
		ce  *CompileError
		ue  *unawaitedError
		te  *timeoutError
		me  *memoryError
		se  *stalledError
		rj  *rejection
		out *report.Error
	)
	// The run's own context ending (Ctrl-C, a bail elsewhere) stops whatever was running; an
	// interrupt whose cause is not a context error (Ctrl-C's carries the signal) is one too.
	stopped := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ie)
	var he *hookError
	if errors.As(err, &he) {
		out = vm.failure(he.err, site)
		if !strings.Contains(out.Message, he.what) && out.Name != "Interrupted" {
			out.Message = "in the " + he.what + ": " + out.Message
		}
		return out
	}
	switch {
	case errors.As(err, &rj):
		return vm.thrown(rj.value, nil, site)
	case errors.As(err, &ex):
		return vm.thrown(ex.Value(), gojaFrames(ex.Stack()), site)
	case errors.As(err, &ce):
		p := ce.Problems[0]
		out = &report.Error{Name: p.Name, Message: p.Message}
		if p.File != "" {
			out.Location = fmt.Sprintf("%s:%d:%d", vm.display(p.File), p.Line, p.Column)
			out.Source = vm.codeFrame(p.File, p.Line, p.Column, p.LineText)
		}
		return out
	case errors.As(err, &ue):
		out = &report.Error{Name: "Error", Message: ue.Error()}
		vm.locate(out, ue.frames, site)
		return out
	case errors.As(err, &so):
		out = &report.Error{Name: "RangeError", Message: "Maximum call stack size exceeded (is there a runaway recursion?)"}
		vm.locate(out, gojaFrames(so.Stack()), site)
		return out
	case errors.As(err, &ur):
		out = vm.thrown(ur.Reason, nil, site)
		out.Message = "unhandled promise rejection: " + out.Message
		return out
	case errors.As(err, &te), errors.As(err, &me), errors.As(err, &se), stopped:
		switch {
		case me != nil:
			out = &report.Error{Name: "OutOfMemoryError", Message: me.Error()}
		case te != nil:
			out = &report.Error{Name: "TimeoutError", Message: te.Error()}
		case se != nil:
			out = &report.Error{Name: "Error", Message: se.Error()}
		default:
			out = &report.Error{Name: "Interrupted", Message: stoppedMessage}
		}
		var frames []frame
		switch {
		case te != nil && len(te.waiting) > 0:
			frames = te.waiting
		case errors.As(err, &ie):
			frames = gojaFrames(ie.Stack()) // where a busy script was stopped
		}
		vm.locate(out, frames, site)
		return out
	case errors.As(err, &pe):
		out = &report.Error{Name: "InternalError", Message: pe.Error()}
		vm.locate(out, nil, site)
		out.Stack = panicSite(pe.Stack)
		return out
	}
	out = &report.Error{Name: "Error", Message: err.Error()}
	vm.locate(out, nil, site)
	return out
}

// panicSite keeps the Go frames where a panic started, for a bug report, out of a stack
// that is mostly the VM's own machinery.
func panicSite(stack []byte) string {
	s := string(stack)
	if i := strings.LastIndex(s, "\npanic("); i >= 0 {
		s = s[i+1:]
		if j := strings.IndexByte(s, '\n'); j >= 0 && j+1 < len(s) && s[j+1] == '\t' {
			s = s[j+1:] // drop the panic( line and its file line
			if k := strings.IndexByte(s[1:], '\n'); k >= 0 {
				s = s[k+2:]
			}
		}
	}
	lines := strings.Split(s, "\n")
	return strings.Join(lines[:min(len(lines), 8)], "\n")
}

// thrown describes a thrown or rejected JavaScript value. Error objects carry their own stack;
// for anything else the throw's frames are used when known.
func (vm *VM) thrown(v goja.Value, frames []frame, site *frame) *report.Error {
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() != "Error" {
		out := &report.Error{Name: "Error", Message: "non-Error value thrown: " + jsfmt.Format(vm.rt, v, jsfmt.Options{})}
		vm.locate(out, frames, site)
		return out
	}
	str := func(key string) string {
		if v := obj.Get(key); v != nil {
			if s, ok := v.Export().(string); ok {
				return s
			}
		}
		return ""
	}
	out := &report.Error{Name: str("name"), Message: str("message"), Code: str("code"), Diff: str("diff")}
	if out.Name == "" {
		out.Name = "Error"
	}
	if out.Diff != "" {
		// expect() puts the diff in the message too, for a script that prints err.message;
		// reports print Diff on its own, so the message keeps only the rest.
		out.Message = strings.Replace(out.Message, "\n\n"+out.Diff, "", 1)
	}
	// A failed call of a binding knows its origin as frames; an Error the script made keeps
	// its frames inside goja, which shows them only as the stack text.
	if origin := gojaFrames(bindings.Origin(obj)); len(origin) > 0 {
		frames = origin
	} else if stack := parseStack(str("stack")); len(stack) > 0 {
		frames = stack
	}
	vm.locate(out, frames, site)
	return out
}

// locate fills Stack, Location and Source from the frames, or from site without them.
func (vm *VM) locate(out *report.Error, frames []frame, site *frame) {
	if len(frames) == 0 {
		if site == nil {
			return
		}
		frames = []frame{*site}
	}
	var lines []string
	for i := 0; i < len(frames) && len(lines) < maxFrames; i++ {
		lines = append(lines, frames[i].String(vm.display))
		same := 0
		for i+1 < len(frames) && frames[i+1] == frames[i] {
			i++
			same++
		}
		if same > 0 {
			lines = append(lines, fmt.Sprintf("    ... the frame above repeats %d more times", same))
		}
	}
	out.Stack = strings.Join(lines, "\n")
	top := frames[0]
	out.Location = fmt.Sprintf("%s:%d:%d", vm.display(top.file), top.line, top.col)
	out.Source = vm.codeFrame(top.file, top.line, top.col, "")
}
