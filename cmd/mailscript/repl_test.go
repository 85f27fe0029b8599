package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// syncBuffer is an output that tests read while the command still writes to it.
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

// waitFor polls out until it matches; the deadline only guards against a hang.
func waitFor(t *testing.T, out interface{ String() string }, what string) {
	t.Helper()
	re := regexp.MustCompile(what)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if re.MatchString(ansi.ReplaceAllString(out.String(), "")) {
			return
		}
	}
	t.Fatalf("no %q in the output:\n%s", what, out.String())
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

func cliState(stdin io.Reader, stdout, stderr io.Writer) *state {
	return &state{
		stdout: stdout, stderr: stderr, stdin: stdin,
		getenv:  func(string) string { return "" },
		environ: func() []string { return nil },
	}
}

// TestReplPiped scripts the REPL through stdin against the emulator, as CI would.
func TestReplPiped(t *testing.T) {
	in := "(await box.list()).length > 0\nbox.reed()\nconst n = await box.folders()\n'the prompt lives on'\n"
	var out, errb bytes.Buffer
	code := run(context.Background(), cliState(strings.NewReader(in), &out, &errb), []string{"repl", "--emulator", "--connect", "google"})
	want := "true\nUncaught TypeError: box.reed is not a function; the mailbox has delete, folders, list, markRead, move, read, send, uniqueAddress, waitFor (did you mean read?)\nundefined\n'the prompt lives on'\n"
	if code != exitOK || out.String() != want {
		t.Errorf("exit %d, output %q, stderr %q; want %q", code, out.String(), errb.String(), want)
	}
}

// TestReplPipedBackground waits on one line for a waitFor started on an earlier one, as a
// session in Node keeps its promises between lines.
func TestReplPipedBackground(t *testing.T) {
	in := "const p = box.waitFor({subject: 'later'}, {interval: '100ms'})\n" +
		"await box.send({to: env.MAILSCRIPT_GOOGLE_USER, subject: 'later', text: 'x'}); 'sent'\n" +
		"(await p).subject\n"
	var out, errb bytes.Buffer
	code := run(context.Background(), cliState(strings.NewReader(in), &out, &errb), []string{"repl", "--emulator", "--connect", "google"})
	want := "undefined\n'sent'\n'later'\n"
	if code != exitOK || out.String() != want {
		t.Errorf("exit %d, output %q, stderr %q; want %q", code, out.String(), errb.String(), want)
	}
}

// TestReplConnectError: a --connect that fails says why, with no stack of the set-up line.
func TestReplConnectError(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), cliState(strings.NewReader(""), &out, &errb), []string{"repl", "--emulator", "--connect", "gogle"})
	if code == exitOK || !strings.Contains(errb.String(), `--connect gogle: TypeError: mail.connect: option "provider": "gogle" is neither a provider`) ||
		!strings.Contains(errb.String(), "did you mean google?") || strings.Contains(errb.String(), "<eval>") {
		t.Errorf("exit %d, stderr %q; want the reason without the set-up's stack", code, errb.String())
	}
}

func TestReplUsage(t *testing.T) {
	for _, args := range [][]string{{"repl", "file.js"}, {"repl", "--timeout", "0s"}, {"watch", "--shard", "1/2"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), cliState(strings.NewReader(""), &out, &errb), args); code != exitUsage || !strings.Contains(errb.String(), "Run 'mailscript help'") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestWatchCLI runs a folder once, then quits on q.
func TestWatchCLI(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.test.js": "test('adds', () => expect(1 + 1).toBe(2))\n"})
	stdin, keys := io.Pipe()
	var out syncBuffer
	done := make(chan int)
	go func() {
		done <- run(context.Background(), cliState(stdin, &out, &out), []string{"watch", dir, "--parallel", "1"})
	}()
	waitFor(t, &out, `Watch: 1 passed in 1 files`)
	io.WriteString(keys, "q")
	if code := <-done; code != exitOK {
		t.Errorf("exit %d:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "✓ adds") {
		t.Errorf("the run's report is missing:\n%s", out.String())
	}
}

// TestReplTerminal drives the built binary through a pseudo-terminal: completion, line
// editing, Ctrl-C for pending input and for a running waitFor, history and Ctrl-D.
func TestReplTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "mailscript")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	history := filepath.Join(dir, "history")
	// An older version wrote the history 0644, and a line that showed a vault token.
	if err := os.WriteFile(history, []byte("1 + 1\nsecret('vault://x') // hvs.token-kept-in-history\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(history, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "repl", "--emulator", "--connect", "google", "--history", history)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "HOME="+dir, "VAULT_TOKEN=hvs.token-kept-in-history")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var out syncBuffer
	go io.Copy(&out, tty)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	waitFor(t, &out, `box = mail.connect\("google"\) is ready`)
	steps := []struct{ keys, want string }{
		// Tab completes the property of the value before the dot.
		{"(await box.li\t()).length > 0\r", `\ntrue\r?\n`},
		// Ctrl-A goes to the start of the line: "1 + 2" becomes "10 + 2".
		{"0 + 2\x01" + "1\r", `\n12\r?\n`},
		// Ctrl-C drops pending input of an open statement.
		{"const x = {\r", `\.\.\. `},
		{"\x03", `\(To exit|\^C`},
		{"typeof x\r", `'undefined'`},
		// Ctrl-C stops a waitFor in flight, and the prompt lives on.
		{"await box.waitFor({subject: 'never sent'}, {timeout: '1h'})\r", `waitFor\(.*\r?\n`},
		{"\x03", `Uncaught Interrupted`},
		{"'alive'\r", `\n'alive'\r?\n`},
		// Up recalls the previous line.
		{"\x1b[A\r", `(?s)'alive'.*'alive'.*'alive'`},
		// A timer fires while the prompt waits: its output goes above a fresh prompt.
		{"setTimeout(() => console.log('tick' + 'ed'), 100)\r", `ticked\r?\n> `},
		// A waitFor left running settles at the prompt, after a later line sends its mail.
		{"const bg = box.waitFor({subject: 'bg-' + 'mail'}, {interval: '100ms'}).then(m => console.log('arrived', m.subject)); 'watch' + 'ing'\r", `'watching'`},
		{"await box.send({to: env.MAILSCRIPT_GOOGLE_USER, subject: 'bg-' + 'mail', text: 'x'}); 'se'.concat('nt')\r", `'sent'`},
		{"", `arrived bg-mail\r?\n`},
		// Ctrl-C while awaiting a waitFor of an earlier line stops the line, not the waitFor.
		{"const p = box.waitFor({subject: 'later-' + 'mail'}, {interval: '100ms', timeout: '1h'}); 'wait' + 'ing'\r", `'waiting'`},
		{"await p\r", `await p\r?\n`},
		{"\x03", `(?s)Uncaught Interrupted.*Uncaught Interrupted`},
		{"await box.send({to: env.MAILSCRIPT_GOOGLE_USER, subject: 'later-' + 'mail', text: 'x'}); 'sent '.concat('again')\r", `'sent again'`},
		{"(await p).subject\r", `'later-mail'`},
		// A line that passes a secret in plain text is left out of the history.
		{"mail.connect('microsoft365', {clientSecret: 'typed-plain-secret-42'}).provider\r", `'microsoft365'`},
		{"'after' + 'wards'\r", `'afterwards'`},
	}
	for _, s := range steps {
		if s.keys == "\x03" && strings.Contains(s.want, "Interrupted") {
			time.Sleep(200 * time.Millisecond) // let the evaluation start: Ctrl-C before it clears the line instead
		}
		io.WriteString(tty, s.keys)
		waitFor(t, &out, s.want)
	}
	io.WriteString(tty, "\x04")
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("Ctrl-D did not end the REPL:\n%s", out.String())
	}
	b, err := os.ReadFile(history)
	if err != nil || !strings.Contains(string(b), "'alive'") || !strings.Contains(string(b), "'after' + 'wards'") {
		t.Errorf("history file: %v %q", err, b)
	}
	for _, s := range []string{"typed-plain-secret-42", "hvs.token-kept-in-history"} {
		if strings.Contains(string(b), s) {
			t.Errorf("the history keeps the line with %s:\n%s", s, b)
		}
	}
	if fi, err := os.Stat(history); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("history file mode: %v %v, want 0600", fi.Mode(), err)
	}
}
