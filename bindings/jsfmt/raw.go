package jsfmt

import (
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// Entry kinds of Node's formatProperty: object keys are named, array items are not.
const (
	kindObject = iota
	kindArray
	kindArrayExtras
)

var (
	timeType    = reflect.TypeOf(time.Time{})
	promiseType = reflect.TypeOf((*goja.Promise)(nil))
	bufferType  = reflect.TypeOf(goja.ArrayBuffer{})
	bigIntType  = reflect.TypeOf((*big.Int)(nil))
	stringType  = reflect.TypeOf("")
	mapType     = reflect.TypeOf([][2]any{})
	setType     = reflect.TypeOf([]any{})
)

// formatRaw is Node's formatRaw: it picks braces, a base text and an entry formatter for o.
func (c *ctx) formatRaw(o *goja.Object, recurseTimes int) string {
	r := c.realm()
	ctor := c.constructorName(o) // "" for a null prototype
	tag := c.tag(o, ctor)
	cls, et := o.ClassName(), o.ExportType()

	var (
		base      string
		keys      []goja.Value
		braces    = [2]string{"{", "}"}
		formatter = func(int) []string { return nil }
		extras    = kindObject
		numeric   bool // array items all numbers: grouped columns are right-aligned
	)
	collKind, collSize, collEntries := c.collection(o, cls, et)
	switch {
	case cls == "Array":
		length := int(o.Get("length").ToInteger())
		var idx []int
		idx, keys = c.arrayKeys(o)
		prefix := ""
		if ctor != "Array" || tag != "" {
			prefix = getPrefix(ctor, tag, "Array", "("+itoa(length)+")")
		}
		braces = [2]string{prefix + "[", "]"}
		if length == 0 && len(keys) == 0 {
			return braces[0] + "]"
		}
		extras = kindArrayExtras
		formatter = func(rt int) []string {
			out, num := c.formatArray(o, length, idx, rt)
			numeric = num
			return out
		}
	case collKind != "":
		prefix := getPrefix(ctor, tag, collKind, "("+itoa(collSize)+")")
		keys = OwnKeys(c.rt, o)
		if collSize == 0 && len(keys) == 0 {
			return prefix + "{}"
		}
		braces[0] = prefix + "{"
		formatter = func(rt int) []string { return collEntries(o, collSize, rt) }
	case c.typedArrayName(o, et) != "":
		length := int(o.Get("length").ToInteger())
		fallback := ""
		if ctor == "" {
			fallback = c.typedArrayName(o, et)
		}
		braces = [2]string{getPrefix(ctor, tag, fallback, "("+itoa(length)+")") + "[", "]"}
		if length == 0 {
			return braces[0] + "]"
		}
		extras = kindArrayExtras
		formatter = func(int) []string {
			numeric = true
			return c.formatTyped(o, length)
		}
	default:
		keys = OwnKeys(c.rt, o)
		if _, ok := goja.AssertFunction(o); ok {
			base = c.functionBase(o, ctor, tag)
			if len(keys) == 0 {
				return c.stylize(base, "special")
			}
			break
		}
		if ctor == "Object" {
			if cls == "Arguments" {
				braces[0] = "[Arguments] {"
			} else if tag != "" {
				braces[0] = getPrefix(ctor, tag, "Object", "") + "{"
			}
			if len(keys) == 0 {
				return braces[0] + "}"
			}
			break
		}
		switch {
		case cls == "RegExp":
			base = str(must(call(r.reToString, o)))
			if p := getPrefix(ctor, tag, "RegExp", ""); p != "RegExp " {
				base = p + base
			}
			if len(keys) == 0 || c.tooDeep(recurseTimes) {
				return c.stylize(base, "regexp")
			}
		case et == timeType:
			base = "Invalid Date"
			if iso, ok := call(r.dateISO, o); ok {
				base = iso.String()
			}
			if p := getPrefix(ctor, tag, "Date", ""); p != "Date " {
				base = p + base
			}
			if len(keys) == 0 {
				return c.stylize(base, "date")
			}
		case cls == "Error":
			base, keys = c.formatError(o, ctor, tag, keys)
			if len(keys) == 0 {
				return base
			}
		case et == bufferType:
			prefix := getPrefix(ctor, tag, "ArrayBuffer", "")
			braces[0] = prefix + "{"
			keys = append([]goja.Value{c.rt.ToValue("byteLength")}, keys...)
			formatter = func(int) []string { return c.formatArrayBuffer(o) }
		case et == promiseType:
			braces[0] = getPrefix(ctor, tag, "Promise", "") + "{"
			formatter = func(rt int) []string { return c.formatPromise(o.Export().(*goja.Promise), rt) }
		case c.isWeak(o, r.weakSetHas, tag, "WeakSet"), c.isWeak(o, r.weakMapHas, tag, "WeakMap"):
			braces[0] = getPrefix(ctor, tag, tag, "") + "{"
			formatter = func(int) []string { return []string{c.stylize("<items unknown>", "special")} }
		default:
			if typ, prim := c.boxed(o, cls, et); typ != "" {
				base, keys = c.boxedBase(typ, prim, ctor, tag, keys)
				if len(keys) == 0 {
					return base
				}
				break
			}
			if len(keys) == 0 {
				return c.ctxStyle(o, ctor, tag) + "{}"
			}
			braces[0] = c.ctxStyle(o, ctor, tag) + "{"
		}
	}

	if c.tooDeep(recurseTimes) {
		name := strings.TrimSuffix(c.ctxStyle(o, ctor, tag), " ")
		if ctor != "" {
			name = "[" + name + "]"
		}
		return c.stylize(name, "special")
	}
	recurseTimes++
	c.seen = append(c.seen, o)
	c.currentDepth = recurseTimes
	output := formatter(recurseTimes)
	for _, k := range keys {
		output = append(output, c.formatProperty(o, recurseTimes, k, extras))
	}
	if i, ok := c.circular[o]; ok {
		ref := c.stylize("<ref *"+itoa(i)+">", "special")
		if c.compactAll {
			braces[0] = ref + " " + braces[0]
		} else if base == "" {
			base = ref
		} else {
			base = ref + " " + base
		}
	}
	c.seen = c.seen[:len(c.seen)-1]
	return c.reduceToSingleString(output, base, braces, extras, recurseTimes, numeric)
}

// formatProperty renders one own property without invoking getters.
func (c *ctx) formatProperty(o *goja.Object, recurseTimes int, key goja.Value, kind int) string {
	d := c.realm().desc(o, key)
	if !d.ok { // a key Node adds itself, like an ArrayBuffer's byteLength
		d = prop{value: o.Get(key.String()), enumerable: true}
	}
	var s string
	extra := " "
	switch {
	case !isUndef(d.value):
		diff := 2
		if c.compactAll && kind == kindObject {
			diff = 3
		}
		c.indent += diff
		s = c.formatValue(d.value, recurseTimes)
		if diff == 3 && c.breakLength < c.width(s) {
			extra = "\n" + strings.Repeat(" ", c.indent)
		}
		c.indent -= diff
	case !isUndef(d.get) && !isUndef(d.set):
		s = c.stylize("[Getter/Setter]", "special")
	case !isUndef(d.get):
		s = c.stylize("[Getter]", "special")
	case !isUndef(d.set):
		s = c.stylize("[Setter]", "special")
	default:
		s = c.stylize("undefined", "undefined")
	}
	if kind == kindArray {
		return s
	}
	var name string
	if sym, ok := key.(*goja.Symbol); ok {
		name = "[" + c.stylize(escapeKey(c.symbolString(sym)), "symbol") + "]"
	} else if k := key.String(); k == "__proto__" {
		name = "['__proto__']"
	} else if !d.enumerable {
		name = "[" + escapeKey(k) + "]"
	} else if isIdentifier(k) {
		name = k
	} else {
		name = c.stylize(strEscape(units(key)), "string")
	}
	return name + ":" + extra + s
}

func isIdentifier(k string) bool {
	for i, ch := range k {
		if !(ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || i > 0 && ch >= '0' && ch <= '9') {
			return false
		}
	}
	return k != ""
}

// OwnKeys lists o's own enumerable string and symbol keys, in the order Node's getKeys does;
// expect compares objects by the same keys that console.log shows.
func OwnKeys(rt *goja.Runtime, o *goja.Object) []goja.Value {
	var keys []goja.Value
	for _, k := range o.Keys() {
		keys = append(keys, rt.ToValue(k))
	}
	for _, s := range o.Symbols() {
		keys = append(keys, s)
	}
	return keys
}

// arrayKeys splits an array's keys into its item indices (ascending) and its other keys.
func (c *ctx) arrayKeys(o *goja.Object) (idx []int, other []goja.Value) {
	for _, k := range OwnKeys(c.rt, o) {
		if s, ok := k.(goja.String); ok {
			if n, err := strconv.ParseUint(s.String(), 10, 32); err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == s.String() {
				idx = append(idx, int(n))
				continue
			}
		}
		other = append(other, k)
	}
	sort.Ints(idx)
	return idx, other
}

// constructorName is Node's getConstructorName: the name of the first constructor on the
// prototype chain that o is an instance of, or "" for a null prototype.
func (c *ctx) constructorName(o *goja.Object) string {
	r := c.realm()
	first := true
	var firstProto *goja.Object
	for obj := o; obj != nil; obj = obj.Prototype() {
		if obj == r.objectProto {
			return "Object"
		}
		d := r.desc(obj, c.rt.ToValue("constructor"))
		if fn, ok := d.value.(*goja.Object); ok {
			if _, isFn := goja.AssertFunction(fn); isFn {
				name := str(fn.Get("name"))
				if name != "" && c.instanceOf(o, fn) {
					return name
				}
			}
		}
		if first {
			firstProto, first = obj.Prototype(), false
		}
	}
	if firstProto == nil {
		return ""
	}
	return o.ClassName() + " <Complex prototype>"
}

func (c *ctx) instanceOf(o, fn *goja.Object) (ok bool) {
	_ = c.rt.Try(func() { ok = c.rt.InstanceOf(o, fn) })
	return ok
}

// tag is Symbol.toStringTag when it adds information: not an own enumerable property.
func (c *ctx) tag(o *goja.Object, ctor string) string {
	t := o.GetSymbol(goja.SymToStringTag)
	if !goja.IsString(t) || t.String() == "" {
		return ""
	}
	if d := c.realm().desc(o, goja.SymToStringTag); d.ok && d.enumerable {
		return ""
	}
	return t.String()
}

func getPrefix(ctor, tag, fallback, size string) string {
	if ctor == "" {
		if tag != "" && fallback != tag {
			return "[" + fallback + size + ": null prototype] [" + tag + "] "
		}
		return "[" + fallback + size + ": null prototype] "
	}
	if tag != "" && ctor != tag {
		return ctor + size + " [" + tag + "] "
	}
	return ctor + size + " "
}

func (c *ctx) ctxStyle(o *goja.Object, ctor, tag string) string {
	fallback := ""
	if ctor == "" {
		if fallback = o.ClassName(); fallback == tag {
			fallback = "Object"
		}
	}
	return getPrefix(ctor, tag, fallback, "")
}

func must(v goja.Value, _ bool) goja.Value {
	if v == nil {
		return goja.Undefined()
	}
	return v
}

func itoa(i int) string { return strconv.Itoa(i) }
