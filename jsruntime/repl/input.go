package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/chzyer/readline"
)

// Lines reads input from a pipe or file: no prompt, no editing, one statement after another.
type Lines struct{ r *bufio.Reader }

// NewLines reads lines from r.
func NewLines(r io.Reader) *Lines { return &Lines{r: bufio.NewReader(r)} }

// ReadLine returns the next line; the prompt is not shown, since nobody is there to see it.
func (l *Lines) ReadLine(string, func(string) Completion) (string, error) {
	line, err := l.r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil // the last line lacks a newline; EOF comes with the next call
	}
	return strings.TrimRight(line, "\r\n"), err
}

// TerminalOptions set up line editing.
type TerminalOptions struct {
	// HistoryFile keeps the lines typed across sessions, readable by the user only; "" keeps none.
	HistoryFile string
	// KeepInHistory says whether a line may be saved (nil: all). It is asked when the next line
	// is read, after the line ran: a line that registered a secret (a plain clientSecret
	// passed to mail.connect) is judged with that secret known.
	KeepInHistory func(line string) bool
	// Stdin, Stdout and Stderr are the terminal; nil means the process's own.
	Stdin          io.ReadCloser
	Stdout, Stderr io.Writer
}

// Terminal reads lines with editing, history and Tab completion (github.com/chzyer/readline).
type Terminal struct {
	rl             *readline.Instance
	requests       chan completionRequest
	stdout, stderr io.Writer
	editing        atomic.Bool // a ReadLine is in progress
	keep           func(string) bool
	history        string
	unsaved        string // the last line read, saved (or not) before the next is read
}

type completionRequest struct {
	before string
	reply  chan Completion
}

// NewTerminal puts line editing on the terminal; Close gives it back.
func NewTerminal(opts TerminalOptions) (*Terminal, error) {
	t := &Terminal{requests: make(chan completionRequest), stdout: opts.Stdout, stderr: opts.Stderr, keep: opts.KeepInHistory, history: opts.HistoryFile}
	if t.stdout == nil {
		t.stdout = os.Stdout
	}
	if t.stderr == nil {
		t.stderr = os.Stderr
	}
	if opts.HistoryFile != "" {
		if err := prepareHistory(opts.HistoryFile, opts.KeepInHistory); err != nil {
			return nil, fmt.Errorf("history file: %w", err)
		}
	}
	rl, err := readline.NewEx(&readline.Config{
		HistoryFile:            opts.HistoryFile,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		AutoComplete:           completer{t},
		InterruptPrompt:        "^C",
		EOFPrompt:              "\n",
		Stdin:                  opts.Stdin,
		Stdout:                 opts.Stdout,
		Stderr:                 opts.Stderr,
	})
	if err != nil {
		return nil, err
	}
	t.rl = rl
	if opts.HistoryFile != "" {
		// readline rewrites a long history through a new file created 0666 (less the umask).
		if err := os.Chmod(opts.HistoryFile, historyMode); err != nil {
			rl.Close()
			return nil, fmt.Errorf("history file: %w", err)
		}
	}
	return t, nil
}

// saveUnsaved adds the previous line to the history unless it shows a secret.
func (t *Terminal) saveUnsaved() {
	line := t.unsaved
	t.unsaved = ""
	if strings.TrimSpace(line) == "" || (t.keep != nil && !t.keep(line)) {
		return
	}
	_ = t.rl.SaveHistory(line)
}

// ReadLine edits one line. Completion runs on the calling goroutine, the one that drives
// the VM: readline asks for it from its own goroutine, so the request comes through here.
func (t *Terminal) ReadLine(prompt string, complete func(string) Completion) (string, error) {
	t.saveUnsaved()
	t.rl.SetPrompt(prompt)
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	t.editing.Store(true)
	go func() {
		line, err := t.rl.Readline()
		t.editing.Store(false)
		done <- result{line, err}
	}()
	for {
		select {
		case req := <-t.requests:
			req.reply <- complete(req.before)
		case res := <-done:
			if errors.Is(res.err, readline.ErrInterrupt) {
				return "", ErrInterrupt
			}
			t.unsaved = res.line
			return res.line, res.err
		}
	}
}

// Stdout and Stderr write to the terminal; while a line is being edited, what they write
// appears above it and the prompt is drawn again (output of timers firing at the prompt).
func (t *Terminal) Stdout() io.Writer { return editorWriter{t, t.rl.Stdout(), t.stdout} }
func (t *Terminal) Stderr() io.Writer { return editorWriter{t, t.rl.Stderr(), t.stderr} }

// editorWriter goes through the line editor only while a line is edited: at other times the
// editor would draw a prompt under the output of a running evaluation.
type editorWriter struct {
	t             *Terminal
	editor, plain io.Writer
}

func (w editorWriter) Write(p []byte) (int, error) {
	if w.t.editing.Load() {
		return w.editor.Write(p)
	}
	return w.plain.Write(p)
}

// Close saves the last line (if it may be kept) and restores the terminal.
func (t *Terminal) Close() error {
	t.saveUnsaved()
	return t.rl.Close()
}

// completer adapts REPL completion to readline: it returns the rest of each candidate.
type completer struct{ t *Terminal }

func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	reply := make(chan Completion, 1)
	c.t.requests <- completionRequest{before: string(line[:pos]), reply: reply}
	comp := <-reply
	var rest [][]rune
	for _, cand := range comp.Candidates {
		rest = append(rest, []rune(strings.TrimPrefix(cand, comp.Prefix)))
	}
	return rest, len([]rune(comp.Prefix))
}
