package jsfmt

import (
	"reflect"
	"strings"

	"github.com/dop251/goja"
)

// Options tune Format like Node's util.inspect options. The zero value means Node's defaults.
type Options struct {
	// Depth is how many levels of nesting are expanded (0 means Node's default, 2; -1 means no limit).
	Depth int
	// Colors adds ANSI colours following util.inspect.styles.
	Colors bool
	// MaxArrayLength caps the items shown of arrays, typed arrays, Maps and Sets
	// (0 means 100; -1 means no limit).
	MaxArrayLength int
	// MaxStringLength caps the characters shown of a string (0 means 10000; -1 means no limit).
	MaxStringLength int
	// Compact puts as much as fits within BreakLength on each line (Node's compact: true);
	// by default the three innermost levels are joined when they fit (Node's compact: 3).
	Compact bool
	// BreakLength is the line width beyond which output is split over lines (0 means 80).
	BreakLength int
}

// Format renders v as Node 20's util.inspect(v, opts) would. It must run on the runtime's goroutine.
// It reads values without invoking getters or proxy traps, and an object whose Symbol.for(
// 'mailscript.inspect') method returns a string is shown as that string.
func Format(rt *goja.Runtime, v goja.Value, opts Options) string {
	return newCtx(rt, opts).formatValue(v, 0)
}

// ctx is the state of one Format call, Node's ctx.
type ctx struct {
	rt           *goja.Runtime
	r            *realm
	colors       bool
	depth        int // -1: unlimited
	maxArray     int // -1: unlimited
	maxString    int // -1: unlimited
	compact      int // Node's numeric compact; ignored when compactAll
	compactAll   bool
	breakLength  int
	indent       int
	currentDepth int
	seen         []*goja.Object
	circular     map[*goja.Object]int
}

func newCtx(rt *goja.Runtime, o Options) *ctx {
	def := func(v, d int) int {
		switch {
		case v == 0:
			return d
		case v < 0:
			return -1
		}
		return v
	}
	return &ctx{
		rt:          rt,
		colors:      o.Colors,
		depth:       def(o.Depth, 2),
		maxArray:    def(o.MaxArrayLength, 100),
		maxString:   def(o.MaxStringLength, 10000),
		compact:     3,
		compactAll:  o.Compact,
		breakLength: def(o.BreakLength, 80),
	}
}

// realm loads the built-ins on first need, so formatting primitives costs no lookups.
func (c *ctx) realm() *realm {
	if c.r == nil {
		c.r = newRealm(c.rt)
	}
	return c.r
}

var (
	styles = map[string]string{
		"special": "cyan", "number": "yellow", "bigint": "yellow", "boolean": "yellow",
		"undefined": "grey", "null": "bold", "string": "green", "symbol": "green",
		"date": "magenta", "regexp": "red", "module": "underline",
	}
	colorCodes = map[string][2]int{
		"cyan": {36, 39}, "yellow": {33, 39}, "grey": {90, 39}, "bold": {1, 22},
		"green": {32, 39}, "magenta": {35, 39}, "red": {31, 39}, "underline": {4, 24},
	}
)

func (c *ctx) stylize(s, style string) string {
	if !c.colors {
		return s
	}
	code, ok := colorCodes[styles[style]]
	if !ok {
		return s
	}
	return "\x1b[" + itoa(code[0]) + "m" + s + "\x1b[" + itoa(code[1]) + "m"
}

func (c *ctx) tooDeep(recurseTimes int) bool { return c.depth >= 0 && recurseTimes > c.depth }

var proxyType = reflect.TypeOf(goja.Proxy{})

func (c *ctx) formatValue(v goja.Value, recurseTimes int) string {
	o, ok := v.(*goja.Object)
	if !ok {
		return c.formatPrimitive(v)
	}
	context := o
	if o.ExportType() == proxyType {
		if o = o.Export().(goja.Proxy).Target(); o == nil {
			return c.stylize("<Revoked Proxy>", "special")
		}
	}
	indent, seen := c.indent, len(c.seen)
	var out string
	ex := c.rt.Try(func() {
		if s, ok := c.custom(o, context, recurseTimes); ok {
			out = s
			return
		}
		for _, s := range c.seen {
			if s == o {
				out = c.circularRef(o)
				return
			}
		}
		out = c.formatRaw(o, recurseTimes)
	})
	if ex != nil {
		// A throwing toStringTag getter or hook must not cost the user the rest of the output.
		c.indent, c.seen = indent, c.seen[:seen]
		out = c.stylize("<Inspection threw ("+errorMessage(ex.Value())+")>", "special")
	}
	return out
}

func errorMessage(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		if m := o.Get("message"); !isUndef(m) {
			return m.String()
		}
	}
	return str(v)
}

func (c *ctx) circularRef(o *goja.Object) string {
	if c.circular == nil {
		c.circular = map[*goja.Object]int{}
	}
	i, ok := c.circular[o]
	if !ok {
		i = len(c.circular) + 1
		c.circular[o] = i
	}
	return c.stylize("[Circular *"+itoa(i)+"]", "special")
}

// custom applies the mailscript.inspect hook: a string result is printed as is, any other
// result is formatted in place of the object. Prototypes are skipped like in Node, so that
// inspecting a class's prototype shows its methods rather than calling the hook on it.
func (c *ctx) custom(o, this *goja.Object, recurseTimes int) (string, bool) {
	r := c.realm()
	if r.hook == nil {
		return "", false
	}
	fn, ok := goja.AssertFunction(o.GetSymbol(r.hook))
	if !ok {
		return "", false
	}
	if ctor, ok := o.Get("constructor").(*goja.Object); ok && ctor.Get("prototype") == goja.Value(o) {
		return "", false
	}
	ret, err := fn(this)
	if err != nil {
		panic(err)
	}
	if ret == goja.Value(this) {
		return "", false
	}
	if goja.IsString(ret) {
		return strings.ReplaceAll(ret.String(), "\n", "\n"+strings.Repeat(" ", c.indent)), true
	}
	return c.formatValue(ret, recurseTimes), true
}
