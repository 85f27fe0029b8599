package jsfmt

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// The Export types narrow the candidates cheaply; the built-in calls then check the brand.

// collection names o's kind if it is a Set or a Map ("" if neither), its size and the formatter
// of its entries: both print as Kind(size) {entries}.
func (c *ctx) collection(o *goja.Object, cls string, et any) (kind string, size int, entries func(o *goja.Object, size, recurseTimes int) []string) {
	if cls != "Object" {
		return "", 0, nil
	}
	switch et {
	case setType:
		if n, ok := call(c.realm().setSize, o); ok {
			return "Set", int(n.ToInteger()), c.formatSet
		}
	case mapType:
		if n, ok := call(c.realm().mapSize, o); ok {
			return "Map", int(n.ToInteger()), c.formatMap
		}
	}
	return "", 0, nil
}

func (c *ctx) typedArrayName(o *goja.Object, et any) string {
	if et == setType || et == mapType {
		return ""
	}
	v, _ := call(c.realm().typedTag, o)
	if v == nil || !goja.IsString(v) {
		return ""
	}
	return v.String()
}

func (c *ctx) isWeak(o *goja.Object, has goja.Callable, tag, name string) bool {
	if tag != name {
		return false
	}
	_, ok := call(has, o, c.rt.NewObject())
	return ok
}

func remainingText(n int) string { return fmt.Sprintf("... %d more item%s", n, plural(n)) }

// limit is how many of n entries are shown.
func (c *ctx) limit(n int) int {
	if c.maxArray >= 0 && c.maxArray < n {
		return c.maxArray
	}
	return n
}

// formatArray is Node's formatArray and formatSpecialArray in one: idx are the indices that
// exist, gaps between them become "<n empty items>".
func (c *ctx) formatArray(o *goja.Object, length int, idx []int, recurseTimes int) ([]string, bool) {
	max := c.limit(length)
	var out []string
	numeric := true
	index := 0
	for _, k := range idx {
		if len(out) >= max || k >= length {
			break
		}
		if k != index {
			out = append(out, c.stylize(fmt.Sprintf("<%d empty item%s>", k-index, plural(k-index)), "undefined"))
			numeric = false
			index = k
			if len(out) == max {
				break
			}
		}
		key := c.rt.ToValue(itoa(k))
		if v := c.realm().desc(o, key).value; v == nil || !(goja.IsNumber(v) || goja.IsBigInt(v)) {
			numeric = false
		}
		out = append(out, c.formatProperty(o, recurseTimes, key, kindArray))
		index++
	}
	remaining := length - index
	if len(out) != max {
		if remaining > 0 {
			out = append(out, c.stylize(fmt.Sprintf("<%d empty item%s>", remaining, plural(remaining)), "undefined"))
			numeric = false
		}
	} else if remaining > 0 {
		out = append(out, remainingText(remaining))
	}
	return out, numeric
}

func (c *ctx) formatTyped(o *goja.Object, length int) []string {
	max := c.limit(length)
	out := make([]string, 0, max+1)
	for i := range max {
		out = append(out, c.formatPrimitive(o.Get(itoa(i))))
	}
	if length > max {
		out = append(out, remainingText(length-max))
	}
	return out
}

func (c *ctx) formatSet(o *goja.Object, size, recurseTimes int) []string {
	var out []string
	c.indent += 2
	values, _ := call(c.realm().setValues, o)
	c.realm().iterate(values, c.limit(size), func(v goja.Value) {
		out = append(out, c.formatValue(v, recurseTimes))
	})
	c.indent -= 2
	if n := size - c.limit(size); n > 0 {
		out = append(out, remainingText(n))
	}
	return out
}

func (c *ctx) formatMap(o *goja.Object, size, recurseTimes int) []string {
	var out []string
	c.indent += 2
	entries, _ := call(c.realm().mapEntries, o)
	c.realm().iterate(entries, c.limit(size), func(e goja.Value) {
		kv := e.(*goja.Object)
		out = append(out, c.formatValue(kv.Get("0"), recurseTimes)+" => "+c.formatValue(kv.Get("1"), recurseTimes))
	})
	c.indent -= 2
	if n := size - c.limit(size); n > 0 {
		out = append(out, remainingText(n))
	}
	return out
}

func (c *ctx) formatArrayBuffer(o *goja.Object) []string {
	ab := o.Export().(goja.ArrayBuffer)
	if ab.Detached() {
		return []string{c.stylize("(detached)", "special")}
	}
	b := ab.Bytes()
	max := c.limit(len(b))
	hex := make([]string, max)
	for i := range hex {
		hex[i] = fmt.Sprintf("%02x", b[i])
	}
	s := strings.Join(hex, " ")
	if n := len(b) - max; n > 0 {
		s += fmt.Sprintf(" ... %d more byte%s", n, plural(n))
	}
	return []string{c.stylize("[Uint8Contents]", "special") + ": <" + s + ">"}
}

func (c *ctx) formatPromise(p *goja.Promise, recurseTimes int) []string {
	if p.State() == goja.PromiseStatePending {
		return []string{c.stylize("<pending>", "special")}
	}
	c.indent += 2
	s := c.formatValue(p.Result(), recurseTimes)
	c.indent -= 2
	if p.State() == goja.PromiseStateRejected {
		s = c.stylize("<rejected>", "special") + " " + s
	}
	return []string{s}
}

var (
	classRe         = regexp.MustCompile(`^(\s+[^(]*?)\s*{`)
	stripCommentsRe = regexp.MustCompile(`(//.*?\n)|(/\*(.|\n)*?\*/)`)
)

// functionBase is Node's getFunctionBase: "[Function: f]", "[AsyncFunction: f]", "[class X]".
func (c *ctx) functionBase(o *goja.Object, ctor, tag string) string {
	src := str(must(call(c.realm().fnToString, o)))
	if strings.HasPrefix(src, "class") && strings.HasSuffix(src, "}") {
		slice := src[5 : len(src)-1]
		if i := strings.IndexByte(slice, '{'); i != -1 &&
			(!strings.Contains(slice[:i], "(") || classRe.MatchString(stripCommentsRe.ReplaceAllString(slice, ""))) {
			return c.classBase(o, ctor, tag)
		}
	}
	typ := "Function"
	if strings.Contains(tag, "Generator") {
		typ = "Generator" + typ
	}
	if strings.HasPrefix(tag, "Async") {
		typ = "Async" + typ
	}
	base := "[" + typ
	if ctor == "" {
		base += " (null prototype)"
	}
	if name := str(o.Get("name")); name == "" {
		base += " (anonymous)"
	} else {
		base += ": " + name
	}
	base += "]"
	if ctor != typ && ctor != "" {
		base += " " + ctor
	}
	if tag != "" && ctor != tag {
		base += " [" + tag + "]"
	}
	return base
}

func (c *ctx) classBase(o *goja.Object, ctor, tag string) string {
	name := "(anonymous)"
	if d := c.realm().desc(o, c.rt.ToValue("name")); d.ok && d.value != nil && d.value.ToBoolean() {
		name = d.value.String()
	}
	base := "class " + name
	if ctor != "Function" && ctor != "" {
		base += " [" + ctor + "]"
	}
	if tag != "" && ctor != tag {
		base += " [" + tag + "]"
	}
	if ctor == "" {
		base += " extends [null prototype]"
	} else if p := o.Prototype(); p != nil {
		if super := str(p.Get("name")); super != "" {
			base += " extends " + super
		}
	}
	return "[" + base + "]"
}

// boxed recognises Number, String, Boolean, BigInt and Symbol objects and unwraps them.
func (c *ctx) boxed(o *goja.Object, cls string, et any) (string, goja.Value) {
	typ := cls
	switch {
	case cls == "Object" && et == bigIntType:
		typ = "BigInt"
	case cls == "Object" && et == stringType:
		typ = "Symbol"
	case cls != "Number" && cls != "String" && cls != "Boolean":
		return "", nil
	}
	v, ok := call(c.realm().valueOf[typ], o)
	if !ok {
		return "", nil
	}
	return typ, v
}

func (c *ctx) boxedBase(typ string, prim goja.Value, ctor, tag string, keys []goja.Value) (string, []goja.Value) {
	if typ == "String" {
		// The index keys only repeat the characters.
		n := min(len(units(prim)), len(keys))
		keys = keys[n:]
	}
	base := "[" + typ
	if typ != ctor {
		if ctor == "" {
			base += " (null prototype)"
		} else {
			base += " (" + ctor + ")"
		}
	}
	colors := c.colors
	c.colors = false
	base += ": " + c.formatPrimitive(prim) + "]"
	c.colors = colors
	if tag != "" && tag != ctor {
		base += " [" + tag + "]"
	}
	if len(keys) != 0 {
		return base, keys
	}
	return c.stylize(base, strings.ToLower(typ)), keys
}
