package secret

import (
	"context"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/secrets"
)

// secretKey marks the JS objects that stand for a secret; it is a symbol, so scripts cannot
// reach the Go value through property enumeration or JSON.
var secretKey = goja.NewSymbol("mailscript.secret")

// Object returns the opaque JS object for v: it prints as [secret REF] through
// toString, toJSON, console.log and the REPL; reveal() gives the value, which the resolver
// that made v registered with the run's redactor.
func Object(rt *goja.Runtime, v secrets.Value) *goja.Object {
	obj := rt.NewObject()
	label := func(goja.FunctionCall) goja.Value { return rt.ToValue(v.String()) }
	_ = obj.Set("toString", label)
	_ = obj.Set("toJSON", label)
	_ = obj.Set("reveal", func(goja.FunctionCall) goja.Value {
		return rt.ToValue(v.Reveal())
	})
	_ = obj.SetSymbol(secretKey, rt.ToValue(v))
	inspect := rt.Get("Symbol").ToObject(rt).Get("for")
	if fn, ok := goja.AssertFunction(inspect); ok {
		if sym, err := fn(nil, rt.ToValue("mailscript.inspect")); err == nil {
			if s, ok := sym.(*goja.Symbol); ok {
				_ = obj.SetSymbol(s, label)
			}
		}
	}
	_ = obj.SetSymbol(goja.SymToStringTag, rt.ToValue("Secret"))
	return obj
}

// Of returns the secret a JS value stands for, if it is a secret object.
func Of(v goja.Value) (secrets.Value, bool) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return secrets.Value{}, false
	}
	held := obj.GetSymbol(secretKey)
	if held == nil {
		return secrets.Value{}, false
	}
	s, ok := held.Export().(secrets.Value)
	return s, ok
}

// Func returns the script's secret(ref) global: it resolves the reference at once and
// returns the opaque object, or throws an Error that names the reference (never a value).
func Func(vu bindings.VU, resolve func(ctx context.Context, ref string) (secrets.Value, error)) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		rt := vu.Runtime()
		ref, ok := call.Argument(0).Export().(string)
		if !ok || !secrets.IsRef(ref) {
			panic(rt.NewTypeError("secret: the argument must be a reference like 'env:NAME', 'file:PATH' or 'vault://PATH#FIELD', got %s", call.Argument(0).String()))
		}
		v, err := resolve(vu.Context(), ref)
		if err != nil {
			// An Error, not goja's GoError: the name a script and a report show is Error.
			panic(bindings.Error(rt, err))
		}
		return Object(rt, v)
	}
}
