package secret

import (
	"context"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/secrets"
)

func TestSecretObjectNeverShowsTheValue(t *testing.T) {
	const value = "hunter2-very-secret"
	v, err := secrets.Resolver{Getenv: func(string) string { return value }}.Resolve(context.Background(), "env:PW")
	if err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	obj := Object(rt, v)
	rt.Set("s", obj)
	for _, js := range []string{"String(s)", "`${s}`", "JSON.stringify({s})", "Object.keys(s).join()", "JSON.stringify(Object.entries(s))"} {
		out, err := rt.RunString(js)
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if strings.Contains(out.String(), value) {
			t.Errorf("%s shows the value: %s", js, out)
		}
	}
	out, _ := rt.RunString("String(s)")
	if out.String() != "[secret env:PW]" {
		t.Errorf("String(s) = %s", out)
	}
	out, _ = rt.RunString("s.reveal()")
	if out.String() != value {
		t.Errorf("reveal() = %s", out)
	}
	if got, ok := Of(obj); !ok || got.Reveal() != value {
		t.Errorf("Of = %v, %v", got, ok)
	}
	if _, ok := Of(rt.NewObject()); ok {
		t.Error("Of(plain object) = true")
	}
	if _, ok := Of(rt.ToValue("x")); ok {
		t.Error("Of(string) = true")
	}
}
