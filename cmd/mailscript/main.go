// Command mailscript runs e-mail test scripts against Microsoft 365, Google Workspace or the
// built-in emulator. It parses flags and delegates: the work lives in runtime, emulator and
// the providers.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/mailscript/mailscript/providers"
)

// state is every touch of the outside world, injected so that the commands run in-process in
// tests (k6's GlobalState).
type state struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
	environ        func() []string
	isTTY          bool // stdout is a terminal
	// shared is the invocation's provider state (tokens, a mailbox's limits) and its redactor,
	// made by run for each command: two commands run in one process share nothing.
	shared *providers.Shared
}

func main() {
	// The signal is the context's cause, so that a run stopped by Ctrl-C exits 130 as shells
	// expect, once its reports are written.
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			cancel(&signalError{sig: s})
		}
	}()
	st := &state{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin, getenv: os.Getenv, environ: os.Environ, isTTY: isTerminal(os.Stdout)}
	os.Exit(run(ctx, st, os.Args[1:]))
}

// signalError is why a run stopped: Ctrl-C (SIGINT) or SIGTERM.
type signalError struct{ sig os.Signal }

func (e *signalError) Error() string { return "stopped by " + e.sig.String() }

// Unwrap makes a signal's stop a cancellation to everything that checks for context.Canceled.
func (e *signalError) Unwrap() error { return context.Canceled }

// signalExit is the exit code of a process stopped by the signal behind ctx's cancellation,
// 128 + the signal's number as shells report it (130 for Ctrl-C), or 0 without one.
func signalExit(ctx context.Context) int {
	var se *signalError
	if !errors.As(context.Cause(ctx), &se) {
		return 0
	}
	if n, ok := se.sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitFailed
}

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a test failed
	exitUsage  = 2 // usage or set-up error
	// A run stopped by a signal exits 128 + its number: 130 for Ctrl-C (SIGINT), 143 for SIGTERM.
)

// usageError is a problem with how mailscript was called: it prints a hint and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

const usage = `mailscript: e-mail tests for Microsoft 365 and Google Workspace

Usage:
  mailscript run [paths...] [flags]    run test files (folders: every *.test.* and *.spec.* below)
  mailscript repl [flags]              an interactive prompt: explore a mailbox with await
  mailscript watch [paths...] [flags]  run test files, then re-run the ones each save affects
  mailscript emulator [flags]          serve the Microsoft 365 + Google emulator on loopback
  mailscript help [command]            show help for a command
  mailscript version                   print the version

Run 'mailscript help run' for the flags.
`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func run(ctx context.Context, st *state, args []string) int {
	// Everything mailscript prints passes the redactor: no secret or token reaches a terminal
	// or a CI log, whichever path printed it.
	redacted := *st
	redacted.shared = providers.NewShared(nil)
	red := redacted.shared.Redactor()
	redacted.stdout, redacted.stderr = red.Writer(st.stdout), red.Writer(st.stderr)
	st = &redacted
	if len(args) == 0 {
		fmt.Fprint(st.stderr, usage)
		return exitUsage
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		var code int
		code, err = runCommand(ctx, st, rest)
		if err == nil {
			return code
		}
	case "repl":
		err = replCommand(ctx, st, rest)
	case "watch":
		err = watchCommand(ctx, st, rest)
	case "emulator":
		err = emulatorCommand(ctx, st, rest)
	case "help", "-h", "--help":
		return help(st, rest)
	case "version", "--version":
		fmt.Fprintln(st.stdout, "mailscript", version)
		return exitOK
	default:
		err = &usageError{fmt.Sprintf("unknown command %q%s", cmd, providers.DidYouMean(cmd, commands))}
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(st.stderr, "mailscript:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(st.stderr, "Run 'mailscript help' for usage.")
	}
	return exitUsage
}

func help(st *state, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(st.stdout, usage)
		return exitOK
	}
	switch args[0] {
	case "run":
		fs := runFlags(&runConfig{})
		fmt.Fprintf(st.stdout, "Usage: mailscript run [paths...] [flags]\n\nFlags:\n%s", fs.FlagUsages())
	case "emulator":
		fs := emulatorFlags(&emulatorConfig{})
		fmt.Fprintf(st.stdout, "Usage: mailscript emulator [flags]\n\nFlags:\n%s", fs.FlagUsages())
	case "repl":
		fmt.Fprint(st.stdout, replUsage+replFlags(&replConfig{}).FlagUsages())
	case "watch":
		fmt.Fprint(st.stdout, watchUsage+runFlags(&runConfig{}).FlagUsages())
	default:
		fmt.Fprintf(st.stderr, "mailscript: no help for %q%s\n", args[0], providers.DidYouMean(args[0], helpTopics))
		return exitUsage
	}
	return exitOK
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
