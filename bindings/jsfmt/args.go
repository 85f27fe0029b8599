package jsfmt

import (
	"strings"

	"github.com/dop251/goja"
)

// FormatArgs renders console.log arguments like Node's util.formatWithOptions: a leading string
// is a format with %s %d %i %f %j %o %O %c and %% placeholders, the remaining arguments follow
// separated by spaces, strings raw and anything else through Format.
func FormatArgs(rt *goja.Runtime, args []goja.Value, opts Options) string {
	if len(args) == 0 {
		return ""
	}
	var b strings.Builder
	a := 0
	join := ""
	if first, ok := args[0].(goja.String); ok {
		if len(args) == 1 {
			return first.String()
		}
		f := []rune(first.String())
		lastPos := 0
		for i := 0; i < len(f)-1; i++ {
			if f[i] != '%' {
				continue
			}
			i++
			if a+1 == len(args) {
				if f[i] == '%' {
					b.WriteString(string(f[lastPos:i]))
					lastPos = i + 1
				}
				continue
			}
			var s string
			switch f[i] {
			case 's':
				a++
				s = formatS(rt, args[a], opts)
			case 'j':
				a++
				s = formatJSON(rt, args[a])
			case 'd', 'i', 'f':
				a++
				s = formatNumeric(rt, args[a], f[i])
			case 'O':
				a++
				s = Format(rt, args[a], opts)
			case 'o':
				a++
				o := opts
				o.Depth = 4
				s = Format(rt, args[a], o)
			case 'c':
				a++
			case '%':
				b.WriteString(string(f[lastPos:i]))
				lastPos = i + 1
				continue
			default:
				continue
			}
			if lastPos != i-1 {
				b.WriteString(string(f[lastPos : i-1]))
			}
			b.WriteString(s)
			lastPos = i + 1
		}
		if lastPos != 0 {
			a++
			join = " "
			if lastPos < len(f) {
				b.WriteString(string(f[lastPos:]))
			}
		}
	}
	for ; a < len(args); a++ {
		b.WriteString(join)
		if s, ok := args[a].(goja.String); ok {
			b.WriteString(s.String())
		} else {
			b.WriteString(Format(rt, args[a], opts))
		}
		join = " "
	}
	return b.String()
}

// formatS is %s: primitives as String(v), objects with their own toString through it, other
// objects inspected one level deep.
func formatS(rt *goja.Runtime, v goja.Value, opts Options) string {
	c := newCtx(rt, Options{})
	switch {
	case goja.IsNumber(v), goja.IsBigInt(v):
		return c.formatPrimitive(v)
	case v == nil || goja.IsUndefined(v) || goja.IsNull(v):
		return c.formatPrimitive(v)
	}
	if s, ok := v.(*goja.Symbol); ok {
		return c.symbolString(s)
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v.String()
	}
	if !c.hasBuiltInToString(o) {
		var s string
		if ex := rt.Try(func() { s = o.String() }); ex == nil {
			return s
		}
	}
	c = newCtx(rt, Options{MaxArrayLength: opts.MaxArrayLength, MaxStringLength: opts.MaxStringLength, BreakLength: opts.BreakLength})
	c.depth = 0
	return c.formatValue(v, 0)
}

// hasBuiltInToString reports whether the toString o would use comes from a built-in prototype.
func (c *ctx) hasBuiltInToString(o *goja.Object) (builtin bool) {
	if o.ExportType() == proxyType {
		if o = o.Export().(goja.Proxy).Target(); o == nil {
			return true
		}
	}
	builtin = true
	_ = c.rt.Try(func() {
		for p := o; p != nil; p = p.Prototype() {
			d, prim := c.realm().desc(p, c.rt.ToValue("toString")), c.realm().desc(p, goja.SymToPrimitive)
			if !d.ok && !prim.ok {
				continue
			}
			ctor, _ := c.realm().desc(p, c.rt.ToValue("constructor")).value.(*goja.Object)
			builtin = p != o && ctor != nil && isBuiltinName(str(ctor.Get("name"))) &&
				c.rt.Get(str(ctor.Get("name"))) == goja.Value(ctor)
			return
		}
	})
	return builtin
}

func isBuiltinName(name string) bool {
	switch name {
	case "Object", "Function", "Array", "Number", "Boolean", "String", "Symbol", "Date", "Promise",
		"RegExp", "Error", "AggregateError", "EvalError", "RangeError", "ReferenceError",
		"SyntaxError", "TypeError", "URIError", "ArrayBuffer", "DataView", "Map", "BigInt", "Set",
		"WeakMap", "WeakSet", "Proxy", "Reflect":
		return true
	}
	return false
}

func formatJSON(rt *goja.Runtime, v goja.Value) string {
	stringify, ok := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	if !ok {
		return "undefined"
	}
	res, err := stringify(goja.Undefined(), v)
	if err != nil {
		if strings.Contains(strings.ToLower(err.Error()), "circular") {
			return "[Circular]"
		}
		return "<" + errorMessage(exceptionValue(err)) + ">"
	}
	return str(res)
}

func exceptionValue(err error) goja.Value {
	if ex, ok := err.(*goja.Exception); ok {
		return ex.Value()
	}
	return nil
}

// formatNumeric is %d (Number), %i (parseInt) and %f (parseFloat).
func formatNumeric(rt *goja.Runtime, v goja.Value, verb rune) string {
	c := newCtx(rt, Options{})
	if _, ok := v.(*goja.Symbol); ok {
		return "NaN"
	}
	if goja.IsBigInt(v) && verb != 'f' {
		return c.formatPrimitive(v)
	}
	fn := map[rune]string{'d': "Number", 'i': "parseInt", 'f': "parseFloat"}[verb]
	conv, ok := goja.AssertFunction(rt.Get(fn))
	if !ok {
		return "NaN"
	}
	n, err := conv(goja.Undefined(), v)
	if err != nil {
		return "NaN"
	}
	return c.formatPrimitive(n)
}
