package jsruntime

import (
	"github.com/mailscript/mailscript/secrets"
	"io"
	"regexp"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
)

// DefaultTimeout is a test's or hook's time limit when Options.Timeout is zero.
const DefaultTimeout = 120 * time.Second

// maxCallDepth turns runaway recursion into a RangeError long before memory runs out; it is
// close to Node's default depth.
const maxCallDepth = 10000

// Options are everything a run takes from the outside world.
type Options struct {
	// Timeout limits each test and hook (and a linear script's top-level code); 0 means
	// DefaultTimeout. test(name, fn, timeout) overrides it per test.
	Timeout time.Duration
	// Grep, when set, runs only the tests whose full name ("describe > name") matches.
	// Others are not reported.
	Grep *regexp.Regexp
	// Bail stops a file at its first failure; its remaining tests are reported as skipped.
	Bail bool
	// Retries runs a failed test again, up to this many times, with its beforeEach and
	// afterEach hooks around each attempt: mail can be late. One that then passes is flaky.
	Retries int
	// ForbidOnly fails a file that calls test.only or describe.only instead of running it, so
	// that a focus left in by mistake cannot make CI run a fraction of the suite.
	ForbidOnly bool
	// Env is the environment scripts see as env; nil means the process environment.
	Env func(string) string
	// Stdout and Stderr receive console output as it is written; nil discards it. Output is
	// also captured per test into report.Test.Output either way.
	Stdout, Stderr io.Writer
	// Colors colours console output written to Stdout and Stderr (never the captured copy);
	// the caller decides it from the terminal and NO_COLOR.
	Colors bool
	// WorkDir is what reported paths are relative to; "" means the process's working folder.
	WorkDir string
	// CacheDir holds compiled bundles between runs (see cache.go); "" compiles every time.
	CacheDir string
	// MaxMemory is the memory budget of each VM while it runs, in bytes (see memory.go); 0
	// means DefaultMaxMemory(1).
	MaxMemory int64
	// RecordSteps keeps each test's timeline in report.Test.Steps: every mail call (with
	// waitFor's polls and the messages read or sent), fetch and console line of its last
	// attempt. Reporters that show it (the HTML report) need it on; it costs nothing when off.
	RecordSteps bool
	// StepBytes bounds the message sources and embedded parts all the run's timelines keep
	// together (each test's is bounded too, by maxHeldBytes): the run holds every test's
	// result until it ends. Share one among the files of a run; nil bounds only each test.
	StepBytes *ByteBudget
	// Redactor masks the run's secrets in what the steps record; nil masks nothing.
	Redactor *secrets.Redactor
	// Install adds globals of its own (mail.connect, secret...) to every VM, after the
	// built-in ones.
	Install func(vu bindings.VU, global *goja.Object) error
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) stdout() io.Writer { return orDiscard(o.Stdout) }
func (o Options) stderr() io.Writer { return orDiscard(o.Stderr) }

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
