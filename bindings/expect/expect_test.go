package expect

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestScripts runs testdata/*.test.js. The scripts declare cases with
// passes(name, fn), fails(name, fn, message) and misuse(name, fn, message): fn may return a
// promise, checked once the script's jobs have run; message is the exact text or a RegExp.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.test.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".test.js"), func(t *testing.T) { runScript(t, file) })
	}
}

type jsCase struct {
	name     string
	wantName string // "" passes; else the error name thrown or rejected with
	want     goja.Value
	result   goja.Value
	err      error
}

func runScript(t *testing.T, file string) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	must(rt.Set("expect", New(rt, Options{}).Func()))
	var cases []*jsCase
	declare := func(wantName string) func(string, goja.Callable, goja.Value) {
		return func(name string, fn goja.Callable, want goja.Value) {
			c := &jsCase{name: name, wantName: wantName, want: want}
			c.result, c.err = fn(goja.Undefined())
			cases = append(cases, c)
		}
	}
	must(rt.Set("passes", declare("")))
	must(rt.Set("fails", declare("AssertionError")))
	must(rt.Set("misuse", declare("TypeError")))
	if _, err := rt.RunScript(file, string(src)); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.check(t) })
	}
}

func (c *jsCase) check(t *testing.T) {
	var thrown goja.Value
	switch p, _ := exported(c.result).(*goja.Promise); {
	case c.err != nil:
		ex, ok := c.err.(*goja.Exception)
		if !ok {
			t.Fatalf("non-JS error: %v", c.err)
		}
		thrown = ex.Value()
	case p != nil && p.State() == goja.PromiseStatePending:
		t.Fatal("promise still pending after the script's jobs ran")
	case p != nil && p.State() == goja.PromiseStateRejected:
		thrown = p.Result()
	}
	if c.wantName == "" {
		if thrown != nil {
			t.Fatalf("want pass, got %s", describe(thrown))
		}
		return
	}
	obj, ok := thrown.(*goja.Object)
	if !ok {
		t.Fatalf("want %s, got %v", c.wantName, thrown)
	}
	if name := obj.Get("name").String(); name != c.wantName {
		t.Errorf("error name = %q, want %q (%s)", name, c.wantName, describe(thrown))
	}
	msg := obj.Get("message").String()
	if re, ok := c.want.(*goja.Object); ok && re.ClassName() == "RegExp" {
		if !regexp.MustCompile(re.Get("source").String()).MatchString(msg) {
			t.Errorf("message does not match %s:\n%s", re.Get("source"), msg)
		}
	} else if want := c.want.String(); msg != want {
		t.Errorf("message:\n%s\nwant:\n%s\n(%q)", msg, want, msg)
	}
}

func exported(v goja.Value) any {
	if v == nil {
		return nil
	}
	return v.Export()
}

func describe(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		return o.Get("name").String() + ": " + o.Get("message").String()
	}
	return v.String()
}
