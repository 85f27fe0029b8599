package jsfmt

import (
	"github.com/dop251/goja"
)

// realm holds the built-in functions of one runtime that the formatter calls directly, so that
// type checks and reads bypass anything a script may have put on the prototypes. A missing
// built-in (a script deleted it) leaves its field nil and the matching check reports false.
type realm struct {
	rt          *goja.Runtime
	gopd        goja.Callable // Object.getOwnPropertyDescriptor
	objectProto *goja.Object
	fnToString  goja.Callable
	symToString goja.Callable
	errToString goja.Callable
	dateISO     goja.Callable
	reToString  goja.Callable
	mapEntries  goja.Callable
	mapSize     goja.Callable
	setValues   goja.Callable
	setSize     goja.Callable
	typedTag    goja.Callable // %TypedArray%.prototype[Symbol.toStringTag] getter: a brand check
	weakMapHas  goja.Callable
	weakSetHas  goja.Callable
	valueOf     map[string]goja.Callable // boxed primitive class -> its prototype's valueOf
	hook        *goja.Symbol             // Symbol.for('mailscript.inspect')
}

func newRealm(rt *goja.Runtime) *realm {
	r := &realm{rt: rt, valueOf: map[string]goja.Callable{}}
	_ = rt.Try(func() { r.load() })
	return r
}

func (r *realm) load() {
	obj := func(v goja.Value) *goja.Object {
		o, _ := v.(*goja.Object)
		return o
	}
	proto := func(name string) *goja.Object {
		if c := obj(r.rt.Get(name)); c != nil {
			return obj(c.Get("prototype"))
		}
		return nil
	}
	method := func(o *goja.Object, name string) goja.Callable {
		if o == nil {
			return nil
		}
		f, _ := goja.AssertFunction(o.Get(name))
		return f
	}
	object := obj(r.rt.Get("Object"))
	r.gopd = method(object, "getOwnPropertyDescriptor")
	r.objectProto = proto("Object")
	r.fnToString = method(proto("Function"), "toString")
	r.symToString = method(proto("Symbol"), "toString")
	r.errToString = method(proto("Error"), "toString")
	r.dateISO = method(proto("Date"), "toISOString")
	r.reToString = method(proto("RegExp"), "toString")
	r.mapEntries = method(proto("Map"), "entries")
	r.setValues = method(proto("Set"), "values")
	r.weakMapHas = method(proto("WeakMap"), "has")
	r.weakSetHas = method(proto("WeakSet"), "has")
	for _, name := range []string{"Number", "String", "Boolean", "BigInt", "Symbol"} {
		r.valueOf[name] = method(proto(name), "valueOf")
	}
	r.mapSize = r.getter(proto("Map"), r.rt.ToValue("size"))
	r.setSize = r.getter(proto("Set"), r.rt.ToValue("size"))
	if u8 := proto("Uint8Array"); u8 != nil {
		r.typedTag = r.getter(u8.Prototype(), goja.SymToStringTag)
	}
	if symFor := method(obj(r.rt.Get("Symbol")), "for"); symFor != nil {
		v, _ := symFor(goja.Undefined(), r.rt.ToValue("mailscript.inspect"))
		r.hook, _ = v.(*goja.Symbol)
	}
}

func (r *realm) getter(o *goja.Object, key goja.Value) goja.Callable {
	if o == nil {
		return nil
	}
	f, _ := goja.AssertFunction(r.desc(o, key).get)
	return f
}

// prop is an own property descriptor; ok is false when the property does not exist.
type prop struct {
	value, get, set goja.Value
	enumerable, ok  bool
}

func (r *realm) desc(o *goja.Object, key goja.Value) prop {
	if r.gopd == nil {
		return prop{value: o.Get(key.String()), enumerable: true, ok: true}
	}
	d, err := r.gopd(goja.Undefined(), o, key)
	if err != nil {
		return prop{}
	}
	do, ok := d.(*goja.Object)
	if !ok {
		return prop{}
	}
	return prop{
		value:      do.Get("value"),
		get:        do.Get("get"),
		set:        do.Get("set"),
		enumerable: do.Get("enumerable").ToBoolean(),
		ok:         true,
	}
}

// call invokes a built-in with this set to v; ok is false when the built-in is missing or threw,
// which for the brand-checking built-ins means v is not of their type.
func call(f goja.Callable, this goja.Value, args ...goja.Value) (goja.Value, bool) {
	if f == nil {
		return nil, false
	}
	v, err := f(this, args...)
	return v, err == nil
}

// iterate feeds up to max values of a built-in iterator to fn.
func (r *realm) iterate(iter goja.Value, max int, fn func(goja.Value)) {
	if max <= 0 {
		return
	}
	n := 0
	r.rt.ForOf(iter, func(v goja.Value) bool {
		fn(v)
		n++
		return n < max
	})
}

func str(v goja.Value) string {
	if v == nil {
		return ""
	}
	return v.String()
}

func isUndef(v goja.Value) bool { return v == nil || goja.IsUndefined(v) }
