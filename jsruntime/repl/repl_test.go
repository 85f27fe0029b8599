package repl

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/secret"
	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/secrets"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// codedError fails a call the way the mail binding does: an Error with a code.
type codedError struct{ code, msg string }

func (e codedError) Error() string { return e.msg }

func (e codedError) JSError(rt *goja.Runtime) *goja.Object {
	obj := bindings.NewError(rt, e.msg)
	_ = obj.Set("code", e.code)
	return obj
}

// fakes are globals standing in for a mailbox: hang() waits until its context ends, the
// way a waitFor does, and reports that it started on started.
func fakes(started chan<- struct{}) func(vu bindings.VU, global *goja.Object) error {
	return func(vu bindings.VU, global *goja.Object) error {
		if err := global.Set("hang", func() *goja.Promise {
			return bindings.Async(vu, func(ctx context.Context) (string, error) {
				started <- struct{}{}
				<-ctx.Done()
				return "", ctx.Err()
			}, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) })
		}); err != nil {
			return err
		}
		if err := global.Set("missing", func() *goja.Promise {
			return bindings.Async(vu, func(ctx context.Context) (string, error) {
				return "", codedError{code: "NOT_FOUND", msg: "google: message 42 is not in the mailbox: list() first to find its id"}
			}, func(rt *goja.Runtime, s string) goja.Value { return rt.ToValue(s) })
		}); err != nil {
			return err
		}
		cache := &secrets.Cache{Resolver: secrets.Resolver{Getenv: func(string) string { return "hunter2" }}}
		return global.Set("secret", secret.Func(vu, cache.Resolve))
	}
}

func newREPL(t *testing.T, out *bytes.Buffer, interrupts <-chan struct{}, started chan<- struct{}) *REPL {
	t.Helper()
	r, err := New(Options{
		VM:         jsruntime.Options{Install: fakes(started), WorkDir: t.TempDir(), Stdout: out, Env: func(string) string { return "" }},
		Stdout:     out,
		Interrupts: interrupts,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestTranscript feeds a session through a pipe, as `mailscript repl < session.js` would,
// and compares everything printed with testdata/transcript.golden.
func TestTranscript(t *testing.T) {
	in, err := os.ReadFile("testdata/transcript.js")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r := newREPL(t, &out, nil, nil)
	if err := r.Run(context.Background(), NewLines(bytes.NewReader(in))); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/transcript.golden", out.String())
	if strings.Contains(out.String(), "hunter2") {
		t.Error("a secret's value was printed")
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update to accept):\n%s", path, got)
	}
}

// TestInterrupt stops an evaluation waiting on Go work, and the prompt goes on.
func TestInterrupt(t *testing.T) {
	var out bytes.Buffer
	interrupts := make(chan struct{})
	started := make(chan struct{})
	r := newREPL(t, &out, interrupts, started)
	go func() {
		<-started
		interrupts <- struct{}{}
	}()
	if quit := r.Line(context.Background(), "const got = await hang()"); quit {
		t.Fatal("Line asked to quit")
	}
	r.Line(context.Background(), "'alive'")
	// The interrupt may land while goja still runs the line's async function (before its
	// await suspends it), and then the session goes on in a fresh context and says so: both
	// are the prompt going on.
	got := out.String()
	const stopped, alive = "Uncaught Interrupted: the run was stopped before this finished\n", "'alive'\n"
	restarted := "The JavaScript engine cannot go on after stopping code inside an async function: starting a new context, variables are gone.\n"
	if got != stopped+alive && got != stopped+restarted+alive {
		t.Errorf("output %q, want %q (or with the new-context note between)", got, stopped+alive)
	}
}

// script is an Input that serves fixed lines and errors.
type script []any

func (s *script) ReadLine(string, func(string) Completion) (string, error) {
	if len(*s) == 0 {
		return "", errors.New("read past the script")
	}
	next := (*s)[0]
	*s = (*s)[1:]
	if err, ok := next.(error); ok {
		return "", err
	}
	return next.(string), nil
}

func TestCtrlCAndCtrlD(t *testing.T) {
	var out bytes.Buffer
	r := newREPL(t, &out, nil, nil)
	in := &script{"const x = {", ErrInterrupt, "x", ErrInterrupt, "1 + 1", io.EOF}
	if err := r.Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	want := "Uncaught ReferenceError: x is not defined\n(To exit, press Ctrl+D or type .exit)\n2\n"
	if out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

func TestComplete(t *testing.T) {
	var out bytes.Buffer
	r := newREPL(t, &out, nil, nil)
	r.Line(context.Background(), "const box = {list() {}, listFolders() {}, read() {}}")
	r.Line(context.Background(), "class Helper {}")
	cases := []struct {
		before, prefix string
		want           []string
	}{
		{"box.li", "li", []string{"list", "listFolders"}},
		{"await box.re", "re", []string{"read"}},
		{"bo", "bo", []string{"box"}},
		{"Hel", "Hel", []string{"Helper"}},
		{"Math.fl", "fl", []string{"floor"}},
		{"mail.x.y", "y", nil},
		{".he", ".he", []string{".help"}},
		{"'text' + sec", "sec", []string{"secret"}},
	}
	for _, c := range cases {
		got := r.complete(c.before)
		if got.Prefix != c.prefix || !slices.Equal(got.Candidates, c.want) {
			t.Errorf("complete(%q) = %q %q, want %q %q", c.before, got.Prefix, got.Candidates, c.prefix, c.want)
		}
	}
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib.js")
	if err := os.WriteFile(lib, []byte("const base = 40\nfunction add(n) {\n  return base + n\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r := newREPL(t, &out, nil, nil)
	steps := []struct {
		line, want string
		quit       bool
	}{
		{".load " + lib, "", false},
		{"add(2)", "42\n", false},
		{".load", ".load needs a file: .load path/to/script.js\n", false},
		{".clear", "Clearing context...\n", false},
		{"typeof add", "'undefined'\n", false},
		{".nope", "Invalid REPL keyword .nope: type .help for the list\n", false},
		{".exit", "", true},
	}
	for _, s := range steps {
		out.Reset()
		if quit := r.Line(context.Background(), s.line); quit != s.quit || out.String() != s.want {
			t.Errorf("%q: quit %v, output %q; want %v, %q", s.line, quit, out.String(), s.quit, s.want)
		}
	}
}
