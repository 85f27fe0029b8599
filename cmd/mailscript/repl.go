package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/repl"
	"github.com/mailscript/mailscript/secrets"
	"github.com/spf13/pflag"
)

type replConfig struct {
	envFlags
	connect   string
	history   string
	noHistory bool
	timeout   time.Duration
	maxMemory memorySize
	noColor   bool
	help      bool
}

func replFlags(c *replConfig) *pflag.FlagSet {
	fs := pflag.NewFlagSet("repl", pflag.ContinueOnError)
	fs.SortFlags = false
	c.envFlags.register(fs, "start the built-in emulator and point every provider at it")
	fs.StringVar(&c.connect, "connect", "", "make `box` ready: mail.connect(NAME) with a connection name or a provider")
	fs.StringVar(&c.history, "history", "", "keep the lines typed in this file (default ~/.mailscript_history)")
	fs.BoolVar(&c.noHistory, "no-history", false, "keep no history file")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Minute, "time limit of one evaluation")
	fs.Var(&c.maxMemory, "max-memory", "memory an evaluation may use before it fails as out of memory, like 512MiB or 2GiB (default: half the machine's memory)")
	fs.BoolVar(&c.noColor, "no-color", false, "no colours in the output (also with NO_COLOR set)")
	fs.BoolVarP(&c.help, "help", "h", false, "show this help")
	return fs
}

const replUsage = "Usage: mailscript repl [flags]\n\nAn interactive prompt with the globals of a test file; await works at the prompt.\n\nFlags:\n"

// replCommand runs the prompt until .exit, Ctrl-D or the end of piped input.
func replCommand(ctx context.Context, st *state, args []string) error {
	var c replConfig
	fs := replFlags(&c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.help {
		fmt.Fprint(st.stdout, replUsage+fs.FlagUsages())
		return nil
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("repl takes no arguments, got %q: to run a file use 'mailscript run' or .load it at the prompt", fs.Arg(0))}
	}
	if c.timeout <= 0 {
		return &usageError{"--timeout must be positive, like 30s or 10m"}
	}
	// Ctrl-C belongs to the prompt: it stops an evaluation, it does not end the session.
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	env, cleanup, err := scriptEnv(ctx, st, c.envFlags)
	if err != nil {
		return err
	}
	defer cleanup()
	profiles, err := connections(c.config, env)
	if err != nil {
		return err
	}

	stdinFile, _ := st.stdin.(*os.File)
	interactive := st.isTTY && stdinFile != nil && isTerminal(stdinFile)
	// Output of timers and promises that fire while a line is edited goes through the line
	// editor, which draws it above the prompt.
	stdout, stderr := st.stdout, st.stderr
	red := st.shared.Redactor()
	var term *repl.Terminal
	if interactive {
		term, err = repl.NewTerminal(repl.TerminalOptions{HistoryFile: historyFile(st, c), Stdout: st.stdout, Stderr: st.stderr,
			KeepInHistory: func(line string) bool { return red.Redact(line) == line }})
		if err != nil {
			return err
		}
		defer term.Close()
		stdout, stderr = term.Stdout(), term.Stderr()
	}
	out := red.Writer(stdout)
	colors := st.isTTY && !c.noColor && env("NO_COLOR") == ""
	interrupts := make(chan struct{})
	stopSignals := forwardSignals(interrupts, cancel, !interactive)
	defer stopSignals()

	cache := &secrets.Cache{Resolver: secrets.Resolver{Getenv: env, Redactor: red}}
	r, err := repl.New(repl.Options{
		VM: jsruntime.Options{
			Timeout:   c.timeout,
			MaxMemory: c.maxMemory.bytes(1),
			Env:       env,
			Stdout:    out,
			Stderr:    red.Writer(stderr),
			Colors:    colors,
			Install:   globals(newRegistry(st.shared), profiles, cache),
		},
		Stdout:     out,
		Colors:     colors,
		Interrupts: interrupts,
	})
	if err != nil {
		return err
	}
	defer r.Close()
	if c.connect != "" {
		name, _ := json.Marshal(c.connect)
		if err := r.Exec(ctx, "const box = mail.connect("+string(name)+")"); err != nil {
			// The message only: its stack is the set-up line's ("at <eval>:1:25"), not the user's.
			msg, _, _ := strings.Cut(err.Error(), "\n")
			return fmt.Errorf("--connect %s: %s", c.connect, msg)
		}
	}
	if !interactive {
		return r.Run(ctx, repl.NewLines(st.stdin))
	}
	fmt.Fprintf(out, "mailscript %s: JavaScript with await at the prompt. Type .help for help, Ctrl+D to leave.\n", version)
	if c.connect != "" {
		fmt.Fprintf(out, "box = mail.connect(%q) is ready: try (await box.list()).length\n", c.connect)
	}
	return r.Run(ctx, term)
}

// historyFile is --history, or ~/.mailscript_history, or "" for --no-history.
func historyFile(st *state, c replConfig) string {
	switch {
	case c.noHistory:
		return ""
	case c.history != "":
		return c.history
	case st.getenv("HOME") != "":
		return filepath.Join(st.getenv("HOME"), ".mailscript_history")
	}
	return ""
}

// forwardSignals turns Ctrl-C into an interrupt of the running evaluation; SIGTERM, and
// Ctrl-C with no evaluation running when quitIdle (piped input has no prompt to clear),
// end the session. At an interactive prompt the line editor reads Ctrl-C as a key.
func forwardSignals(interrupts chan<- struct{}, quit context.CancelFunc, quitIdle bool) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				if s != os.Interrupt {
					quit()
					continue
				}
				select {
				case interrupts <- struct{}{}:
				default:
					if quitIdle {
						quit()
					}
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
