package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/mailscript/mailscript/bindings/jsfmt"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// Options are everything a REPL takes from the outside world.
type Options struct {
	// VM sets up the evaluating VM: globals, environment, console writers.
	VM jsruntime.Options
	// Stdout receives results and messages; nil discards them.
	Stdout io.Writer
	// Colors colours results and errors (a terminal without NO_COLOR).
	Colors bool
	// Interrupts stops the running evaluation at each receive (Ctrl-C while it runs): its
	// context is cancelled, so a waitFor in flight ends. Nil means evaluations run to the end.
	Interrupts <-chan struct{}
}

// ErrInterrupt is what an Input returns for Ctrl-C at the prompt.
var ErrInterrupt = errors.New("interrupted")

// Input is where lines come from: a terminal with line editing, or a pipe.
type Input interface {
	// ReadLine shows prompt and returns the next line without its line ending: io.EOF at
	// the end of input (Ctrl-D), ErrInterrupt for Ctrl-C. complete lists what the text
	// before the cursor may go on with; it may be called from any goroutine until ReadLine
	// returns. The REPL calls ReadLine on a goroutine of its own, and meanwhile runs the
	// callbacks of background work.
	ReadLine(prompt string, complete func(before string) Completion) (string, error)
}

// REPL evaluates input line after line in one VM. It is driven by one goroutine.
type REPL struct {
	vm      *jsruntime.VM
	opts    Options
	out     io.Writer
	pending []string // lines of a statement not yet complete
	lexical []string // names that top-level let, const and class declared
}

// New returns a REPL with a fresh VM; Close ends what its lines left running.
func New(opts Options) (*REPL, error) {
	out := opts.Stdout
	if out == nil {
		out = io.Discard
	}
	r := &REPL{opts: opts, out: out}
	vm, err := r.newVM()
	if err != nil {
		return nil, err
	}
	r.vm = vm
	return r, nil
}

// newVM starts a session whose background failures print like Node's, above the prompt.
func (r *REPL) newVM() (*jsruntime.VM, error) {
	vm, err := jsruntime.NewVM(r.opts.VM)
	if err != nil {
		return nil, err
	}
	vm.OnUncaught(func(e *jsruntime.ScriptError) { r.printError(e) })
	return vm, nil
}

// Close cancels the Go work and timers that evaluations left running.
func (r *REPL) Close() { r.vm.Close() }

const (
	prompt         = "> "
	continuePrompt = "... "
)

// Run reads and evaluates until the input ends, .exit, or ctx ends.
func (r *REPL) Run(ctx context.Context, in Input) error {
	for ctx.Err() == nil {
		p := prompt
		if len(r.pending) > 0 {
			p = continuePrompt
		}
		line, err := r.read(ctx, in, p)
		switch {
		case errors.Is(err, ErrInterrupt):
			if len(r.pending) == 0 {
				fmt.Fprintln(r.out, "(To exit, press Ctrl+D or type .exit)")
			}
			r.pending = nil
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}
		if r.Line(ctx, line) {
			return nil
		}
	}
	return nil
}

// Line handles one line of input, printing what it gives; it reports whether the user asked
// to leave.
func (r *REPL) Line(ctx context.Context, line string) (quit bool) {
	if len(r.pending) == 0 && strings.HasPrefix(strings.TrimSpace(line), ".") {
		return r.command(ctx, strings.TrimSpace(line))
	}
	r.pending = append(r.pending, line)
	src := strings.Join(r.pending, "\n")
	p := prepare(src)
	if p.incomplete {
		return false
	}
	r.pending = nil
	if p.syntax != "" {
		fmt.Fprintln(r.out, r.red("Uncaught SyntaxError: "+p.syntax))
		return false
	}
	r.Eval(ctx, p.code)
	return false
}

// Eval evaluates prepared code and prints its value or its error.
func (r *REPL) Eval(ctx context.Context, code string) {
	if strings.TrimSpace(code) == "" {
		return
	}
	v, err := r.evaluate(ctx, code)
	if err != nil {
		r.printError(err)
		return
	}
	fmt.Fprintln(r.out, jsfmt.Format(r.vm.Runtime(), v, jsfmt.Options{Colors: r.opts.Colors}))
}

// evaluate runs code until its value settles or an interrupt arrives.
func (r *REPL) evaluate(ctx context.Context, code string) (goja.Value, error) {
	ctx, cancel := context.WithCancel(ctx)
	stop := make(chan struct{})
	go func() {
		select {
		case <-r.opts.Interrupts:
			cancel()
		case <-stop:
		}
	}()
	v, err := r.vm.Eval(ctx, code)
	close(stop)
	cancel()
	r.remember(code)
	if r.vm.Broken() {
		r.printError(err)
		fmt.Fprintln(r.out, r.red("The JavaScript engine cannot go on after stopping code inside an async function: starting a new context, variables are gone."))
		if rerr := r.reset(); rerr != nil {
			fmt.Fprintln(r.out, r.red("Cannot start a new context: "+rerr.Error()))
		}
		return nil, errPrinted
	}
	return v, err
}

// errPrinted is an evaluation failure already shown to the user.
var errPrinted = errors.New("already printed")

// reset replaces the VM with a fresh one, ending the old one's background work.
func (r *REPL) reset() error {
	vm, err := r.newVM()
	if err != nil {
		return err
	}
	r.vm.Close()
	r.vm, r.pending, r.lexical = vm, nil, nil
	return nil
}

// remember notes the global let, const and class names code declared: they are not
// properties of the global object, yet completion should offer them.
func (r *REPL) remember(code string) {
	prog, err := parser.ParseFile(nil, "", code, 0)
	if err != nil {
		return
	}
	for _, s := range prog.Body {
		switch s := s.(type) {
		case *ast.LexicalDeclaration:
			r.lexical = append(r.lexical, boundNames(s.List)...)
		case *ast.ClassDeclaration:
			r.lexical = append(r.lexical, s.Class.Name.Name.String())
		}
	}
}

func (r *REPL) printError(err error) {
	if errors.Is(err, errPrinted) {
		return
	}
	var se *jsruntime.ScriptError
	if !errors.As(err, &se) { // a SyntaxError of the input
		fmt.Fprintln(r.out, r.red("Uncaught "+err.Error()))
		return
	}
	d := se.Detail
	fmt.Fprintln(r.out, r.red("Uncaught "+report.Headline(&d)))
	if d.Diff != "" {
		fmt.Fprintln(r.out, strings.TrimRight(d.Diff, "\n"))
	}
	// Frames in the prompt's own input point into rewritten code: only files (.load) help.
	if strings.HasPrefix(d.Location, "<eval>") {
		return
	}
	if d.Source != "" {
		fmt.Fprintln(r.out, strings.TrimRight(d.Source, "\n"))
	}
	for _, l := range strings.Split(d.Stack, "\n") {
		if l != "" && !strings.Contains(l, "<eval>") {
			fmt.Fprintln(r.out, r.dim(l))
		}
	}
}

func (r *REPL) red(s string) string { return r.ansi("31", s) }
func (r *REPL) dim(s string) string { return r.ansi("2", s) }

func (r *REPL) ansi(code, s string) string {
	if !r.opts.Colors {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

const help = `.clear    forget pending input, every variable and background work: start a new VM
.exit     leave the REPL (or press Ctrl+D)
.help     show this list
.load F   evaluate the file F here, line by line

Press Ctrl+C to abandon the current input or stop a running evaluation, Tab to complete.
await works at the prompt; a promise's value is printed when it settles. Timers and
promises left running go on while the prompt waits; Ctrl+C stops only the running line.
`

// command runs a dot command; it reports whether to quit.
func (r *REPL) command(ctx context.Context, line string) bool {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case ".exit":
		return true
	case ".help":
		fmt.Fprint(r.out, help)
	case ".clear":
		if err := r.reset(); err != nil {
			fmt.Fprintln(r.out, r.red("Cannot clear: "+err.Error()))
			return false
		}
		fmt.Fprintln(r.out, "Clearing context...")
	case ".load":
		r.load(ctx, arg)
	default:
		fmt.Fprintf(r.out, "Invalid REPL keyword %s: type .help for the list\n", name)
	}
	return false
}

// load feeds a file's lines to the REPL as if typed, so its declarations stay.
func (r *REPL) load(ctx context.Context, path string) {
	if path == "" {
		fmt.Fprintln(r.out, r.red(".load needs a file: .load path/to/script.js"))
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(r.out, r.red(fmt.Sprintf(".load %s: %v", path, errors.Unwrap(err))))
		return
	}
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		r.pending = append(r.pending, line)
		src := strings.Join(r.pending, "\n")
		if prepare(src).incomplete {
			continue
		}
		r.pending = nil
		if err := r.Exec(ctx, src); err != nil {
			r.printError(err)
		}
	}
	if len(r.pending) > 0 {
		r.pending = nil
		fmt.Fprintln(r.out, r.red(".load "+path+": the file ends in the middle of a statement"))
	}
}

// Exec evaluates a complete statement without printing its value, like a line of a .load
// file or the set-up of `mailscript repl --connect`; the error is returned, not printed.
func (r *REPL) Exec(ctx context.Context, src string) error {
	p := prepare(src)
	switch {
	case p.incomplete:
		return fmt.Errorf("SyntaxError: the input ends in the middle of a statement")
	case p.syntax != "":
		return fmt.Errorf("SyntaxError: %s", p.syntax)
	}
	_, err := r.evaluate(ctx, p.code)
	return err
}
