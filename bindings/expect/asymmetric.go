package expect

import (
	"github.com/dop251/goja"
)

// asymmetricMatcher builds an object that equality checks call instead of comparing with,
// printed (by jsfmt and toString) as label.
func (e *Expect) asymmetricMatcher(label string, match func(goja.Value) bool) *goja.Object {
	o := e.rt.NewObject()
	must(o.Set("asymmetricMatch", func(v goja.Value) bool { return match(v) }))
	must(o.Set("toString", func() string { return label }))
	must(o.Set("toAsymmetricMatcher", func() string { return label }))
	if inspect, ok := e.rt.Get("Symbol").(*goja.Object); ok {
		if symFor, ok := goja.AssertFunction(inspect.Get("for")); ok {
			if sym, err := symFor(inspect, e.rt.ToValue("mailscript.inspect")); err == nil {
				if s, ok := sym.(*goja.Symbol); ok {
					must(o.SetSymbol(s, func() string { return label }))
				}
			}
		}
	}
	return o
}

// any is expect.any(Constructor): matches anything made by the constructor, primitives included
// for the wrapper types (expect.any(Number) matches 1).
func (e *Expect) any(call goja.FunctionCall) goja.Value {
	ctor, ok := call.Argument(0).(*goja.Object)
	if !ok || !isFunction(ctor) {
		panic(e.newError("TypeError", "expect.any() expects a constructor function like Number, String or a class; got "+e.format(call.Argument(0))))
	}
	name := prop(ctor, "name").String()
	primitive := map[string]string{"String": "string", "Number": "number", "Boolean": "boolean",
		"BigInt": "bigint", "Symbol": "symbol", "Function": "function", "Object": "object"}[name]
	return e.asymmetricMatcher("Any<"+name+">", func(v goja.Value) bool {
		if primitive != "" && typeOf(v) == primitive {
			return true
		}
		o, isObj := v.(*goja.Object)
		return isObj && e.rt.InstanceOf(o, ctor)
	})
}

// anything is expect.anything(): matches everything but null and undefined.
func (e *Expect) anything(goja.FunctionCall) goja.Value {
	return e.asymmetricMatcher("Anything", func(v goja.Value) bool {
		return !goja.IsUndefined(v) && !goja.IsNull(v)
	})
}
