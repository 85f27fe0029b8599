package expect

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/mailscript/mailscript/bindings/jsfmt"
)

// outcome is what a matcher found. body explains it for the failing direction (it reads
// c.not); expected, received and diff also become properties of the AssertionError.
type outcome struct {
	pass               bool
	body               func() string
	expected, received func() string // nil when there is nothing to show
	diff               string
}

// lazy formats v on first use: passing expectations never pay for formatting.
func (c *call) lazy(v goja.Value) func() string {
	s, done := "", false
	return func() string {
		if !done {
			s, done = c.e.format(v), true
		}
		return s
	}
}

func text(s string) func() string { return func() string { return s } }

type matcherFunc func(c *call, args []goja.Value) outcome

type matcher struct {
	sig, comment string // shown in the hint: expect(received).name(sig) // comment
	fn           matcherFunc
}

var matcherTable = map[string]matcher{
	"toBe":                   {"expected", "Object.is equality", toBe},
	"toEqual":                {"expected", "deep equality", equalMatcher(eqLoose)},
	"toStrictEqual":          {"expected", "deep equality", equalMatcher(eqStrict)},
	"toMatchObject":          {"expected", "", toMatchObject},
	"toBeTruthy":             {"", "", predicate(func(v goja.Value) bool { return v.ToBoolean() })},
	"toBeFalsy":              {"", "", predicate(func(v goja.Value) bool { return !v.ToBoolean() })},
	"toBeNull":               {"", "", predicate(goja.IsNull)},
	"toBeUndefined":          {"", "", predicate(goja.IsUndefined)},
	"toBeDefined":            {"", "", predicate(func(v goja.Value) bool { return !goja.IsUndefined(v) })},
	"toBeNaN":                {"", "", predicate(func(v goja.Value) bool { return goja.IsNumber(v) && goja.IsNaN(v) })},
	"toContain":              {"expected", "", toContain(false)},
	"toContainEqual":         {"expected", "", toContain(true)},
	"toMatch":                {"expected", "", toMatch},
	"toHaveLength":           {"expected", "", toHaveLength},
	"toHaveProperty":         {"path", "", toHaveProperty},
	"toBeGreaterThan":        {"expected", "", compare(">", func(c int) bool { return c > 0 })},
	"toBeGreaterThanOrEqual": {"expected", "", compare(">=", func(c int) bool { return c >= 0 })},
	"toBeLessThan":           {"expected", "", compare("<", func(c int) bool { return c < 0 })},
	"toBeLessThanOrEqual":    {"expected", "", compare("<=", func(c int) bool { return c <= 0 })},
	"toBeCloseTo":            {"expected, precision", "", toBeCloseTo},
	"toThrow":                {"expected", "", toThrow},
	"toThrowError":           {"expected", "", toThrow},
	"toBeInstanceOf":         {"expected", "", toBeInstanceOf},
}

func arg(args []goja.Value, i int) goja.Value {
	if i < len(args) {
		return args[i]
	}
	return goja.Undefined()
}

// expRec is the usual body: "Expected: [not ]x" and "Received: y".
func (c *call) expRec(expected, received goja.Value) outcome {
	exp, rec := c.lazy(expected), c.lazy(received)
	return outcome{expected: exp, received: rec, body: func() string {
		if c.not {
			s := "Expected: not " + c.e.green(exp())
			if exp() != rec() {
				s += "\nReceived:     " + c.e.red(rec())
			}
			return s
		}
		return "Expected: " + c.e.green(exp()) + "\nReceived: " + c.e.red(rec())
	}}
}

// withDiff shows a line diff instead of the two values when it helps.
func (c *call) withDiff(out outcome, expected, received goja.Value) outcome {
	if c.not {
		return out
	}
	if goja.IsString(expected) && goja.IsString(received) {
		if out.diff = c.e.invisibleDiff(expected.String(), received.String()); out.diff != "" {
			diff := out.diff
			out.body = func() string { return diff }
			return out
		}
	}
	if !diffable(expected, received) {
		return out
	}
	if out.diff = c.e.diff(expected, received); out.diff != "" {
		diff := out.diff
		out.body = func() string { return diff }
	}
	return out
}

func toBe(c *call, args []goja.Value) outcome {
	expected := arg(args, 0)
	out := c.expRec(expected, c.received)
	out.pass = c.received.SameAs(expected)
	if out.pass || c.not {
		return out
	}
	out = c.withDiff(out, expected, c.received)
	if c.e.equals(c.received, expected, eqStrict) {
		plain := out.body
		out.body = func() string {
			return plain() + "\n\nIf it should pass with deep equality, replace \"toBe\" with \"toStrictEqual\""
		}
	}
	return out
}

func equalMatcher(mode eqMode) matcherFunc {
	return func(c *call, args []goja.Value) outcome {
		expected := arg(args, 0)
		out := c.expRec(expected, c.received)
		if out.pass = c.e.equals(c.received, expected, mode); out.pass != c.not {
			return out
		}
		return c.withDiff(out, expected, c.received)
	}
}

func toMatchObject(c *call, args []goja.Value) outcome {
	expected := arg(args, 0)
	if _, ok := c.received.(*goja.Object); !ok {
		c.usage("received value must be a non-null object", "Received", c.received)
	}
	if _, ok := expected.(*goja.Object); !ok {
		c.usage("expected value must be a non-null object", "Expected", expected)
	}
	out := c.expRec(expected, c.received)
	if out.pass = c.e.equals(c.received, expected, eqSubset); out.pass != c.not {
		return out
	}
	return c.withDiff(out, expected, c.e.subsetOf(c.received, expected, nil))
}

// subsetOf trims received to the properties expected names, so that the diff of a failed
// toMatchObject shows only what was asked for (Jest's getObjectSubset).
func (e *Expect) subsetOf(received, expected goja.Value, seen []*goja.Object) goja.Value {
	ro, rok := received.(*goja.Object)
	eo, eok := expected.(*goja.Object)
	if !rok || !eok || asymmetricMatch(eo) != nil {
		return received
	}
	for _, s := range seen {
		if s == ro {
			return received
		}
	}
	seen = append(seen, ro)
	if ro.ClassName() == "Array" && eo.ClassName() == "Array" {
		n := int(prop(ro, "length").ToInteger())
		if n != int(prop(eo, "length").ToInteger()) {
			return received
		}
		items := make([]any, n)
		for i := range items {
			k := strconv.Itoa(i)
			items[i] = e.subsetOf(prop(ro, k), prop(eo, k), seen)
		}
		return e.rt.NewArray(items...)
	}
	if !isObjectWithKeys(eo) || !isObjectWithKeys(ro) {
		return received
	}
	out := e.rt.NewObject()
	for _, k := range jsfmt.OwnKeys(e.rt, eo) {
		if !e.hasProperty(ro, k) {
			continue
		}
		v := e.subsetOf(get(ro, k), get(eo, k), seen)
		if s, ok := k.(*goja.Symbol); ok {
			must(out.SetSymbol(s, v))
		} else {
			must(out.Set(k.String(), v))
		}
	}
	return out
}

func predicate(test func(goja.Value) bool) matcherFunc {
	return func(c *call, _ []goja.Value) outcome {
		rec := c.lazy(c.received)
		return outcome{pass: test(c.received), received: rec, body: func() string {
			return "Received: " + c.e.red(rec())
		}}
	}
}

func toContain(deep bool) matcherFunc {
	return func(c *call, args []goja.Value) outcome {
		expected := arg(args, 0)
		if goja.IsUndefined(c.received) || goja.IsNull(c.received) {
			c.usage("received value must not be null nor undefined", "Received", c.received)
		}
		exp, rec := c.lazy(expected), c.lazy(c.received)
		label, pass := "value", false
		if goja.IsString(c.received) && !deep {
			if !goja.IsString(expected) {
				c.usage("expected value must be a string if received value is a string", "Expected", expected)
			}
			label, pass = "substring", strings.Contains(c.received.String(), expected.String())
		} else {
			o, _ := c.received.(*goja.Object)
			if o == nil || goja.IsUndefined(o.GetSymbol(goja.SymIterator)) {
				c.usage("received value must be a string or an iterable, such as an array or a Set", "Received", c.received)
			}
			c.e.rt.ForOf(o, func(item goja.Value) bool {
				pass = deep && c.e.equals(item, expected, eqLoose) || !deep && item.StrictEquals(expected)
				return !pass
			})
		}
		kind := "array"
		if goja.IsString(c.received) {
			kind = "string"
		}
		return outcome{pass: pass, expected: exp, received: rec, body: func() string {
			not := ""
			if c.not {
				not = "not "
			}
			return "Expected " + label + ": " + not + c.e.green(exp()) + "\nReceived " + kind + ":  " + c.e.red(rec())
		}}
	}
}

func toMatch(c *call, args []goja.Value) outcome {
	expected := arg(args, 0)
	if !goja.IsString(c.received) {
		c.usage("received value must be a string", "Received", c.received)
	}
	label, pass := "substring", false
	if re, ok := expected.(*goja.Object); ok && re.ClassName() == "RegExp" {
		test, _ := goja.AssertFunction(prop(re, "test"))
		res, err := test(re, c.received)
		if err != nil {
			panic(err)
		}
		label, pass = "pattern", res.ToBoolean()
	} else if goja.IsString(expected) {
		pass = strings.Contains(c.received.String(), expected.String())
	} else {
		c.usage("expected value must be a string or regular expression", "Expected", expected)
	}
	exp, rec := c.lazy(expected), c.lazy(c.received)
	return outcome{pass: pass, expected: exp, received: rec, body: func() string {
		not := ""
		if c.not {
			not = "not "
		}
		return "Expected " + label + ": " + not + c.e.green(exp()) + "\nReceived string:  " + c.e.red(rec())
	}}
}

func toHaveLength(c *call, args []goja.Value) outcome {
	expected := arg(args, 0)
	var length goja.Value = goja.Undefined()
	if !goja.IsUndefined(c.received) && !goja.IsNull(c.received) {
		length = prop(c.received.ToObject(c.e.rt), "length")
	}
	if !goja.IsNumber(length) {
		c.usage("received value must have a length property whose value must be a number", "Received", c.received)
	}
	if f := expected.ToFloat(); !goja.IsNumber(expected) || f < 0 || f != math.Trunc(f) {
		c.usage("expected value must be a non-negative integer", "Expected", expected)
	}
	exp, rec := c.lazy(expected), c.lazy(c.received)
	return outcome{pass: length.SameAs(expected), expected: exp, received: rec, body: func() string {
		if c.not {
			return "Expected length: not " + c.e.green(exp()) + "\nReceived value:      " + c.e.red(rec())
		}
		return "Expected length: " + c.e.green(exp()) + "\nReceived length: " + c.e.red(c.e.format(length)) +
			"\nReceived value:  " + c.e.red(rec())
	}}
}

func compare(op string, ok func(int) bool) matcherFunc {
	return func(c *call, args []goja.Value) outcome {
		expected := arg(args, 0)
		for _, v := range []struct {
			label string
			v     goja.Value
		}{{"Received", c.received}, {"Expected", expected}} {
			if !goja.IsNumber(v.v) && !goja.IsBigInt(v.v) {
				c.usage(strings.ToLower(v.label)+" value must be a number or bigint", v.label, v.v)
			}
		}
		cmp, comparable := compareNumbers(c.received, expected)
		exp, rec := c.lazy(expected), c.lazy(c.received)
		pad := strings.Repeat(" ", len(op)+1)
		return outcome{pass: comparable && ok(cmp), expected: exp, received: rec, body: func() string {
			if c.not {
				return "Expected: not " + op + " " + c.e.green(exp()) + "\nReceived:     " + pad + c.e.red(rec())
			}
			return "Expected: " + op + " " + c.e.green(exp()) + "\nReceived: " + pad + c.e.red(rec())
		}}
	}
}

// compareNumbers orders two numbers or bigints; NaN is not comparable.
func compareNumbers(a, b goja.Value) (int, bool) {
	toBig := func(v goja.Value) (*big.Float, bool) {
		if i, ok := v.Export().(*big.Int); ok {
			return new(big.Float).SetInt(i), true
		}
		f := v.ToFloat()
		if math.IsNaN(f) {
			return nil, false
		}
		return big.NewFloat(f), true
	}
	x, okA := toBig(a)
	y, okB := toBig(b)
	if !okA || !okB {
		return 0, false
	}
	return x.Cmp(y), true
}

func toBeCloseTo(c *call, args []goja.Value) outcome {
	expected, precision := arg(args, 0), arg(args, 1)
	if !goja.IsNumber(c.received) {
		c.usage("received value must be a number", "Received", c.received)
	}
	if !goja.IsNumber(expected) {
		c.usage("expected value must be a number", "Expected", expected)
	}
	digits := 2.0
	if !goja.IsUndefined(precision) {
		if !goja.IsNumber(precision) {
			c.usage("precision must be a number", "Precision", precision)
		}
		digits = precision.ToFloat()
	}
	r, e := c.received.ToFloat(), expected.ToFloat()
	want := math.Pow(10, -digits) / 2
	pass, diff := false, math.Abs(e-r)
	if math.IsInf(r, 0) && math.IsInf(e, 0) {
		pass, diff = r == e, 0
	} else {
		pass = diff < want
	}
	exp, rec := c.lazy(expected), c.lazy(c.received)
	num := func(f float64) string { return c.e.format(c.e.rt.ToValue(f)) }
	return outcome{pass: pass, expected: exp, received: rec, body: func() string {
		not, pad := "", ""
		if c.not {
			not, pad = "not ", "    "
		}
		return "Expected: " + not + c.e.green(exp()) + "\nReceived: " + pad + c.e.red(rec()) +
			"\n\nExpected precision:    " + pad + num(digits) +
			"\nExpected difference: " + not + "< " + c.e.green(num(want)) +
			"\nReceived difference:   " + pad + c.e.red(num(diff))
	}}
}

func toBeInstanceOf(c *call, args []goja.Value) outcome {
	ctor, ok := arg(args, 0).(*goja.Object)
	if !ok || !isFunction(ctor) {
		c.usage("expected value must be a function", "Expected", arg(args, 0))
	}
	pass := false
	if o, isObj := c.received.(*goja.Object); isObj {
		pass = c.e.rt.InstanceOf(o, ctor)
	}
	name := func(fn goja.Value) string {
		if f, ok := fn.(*goja.Object); ok {
			if n := prop(f, "name"); n != nil && n.String() != "" {
				return n.String()
			}
		}
		return "(anonymous)"
	}
	exp, rec := func() string { return name(ctor) }, c.lazy(c.received)
	return outcome{pass: pass, expected: exp, received: rec, body: func() string {
		not := ""
		if c.not {
			not = "not "
		}
		s := "Expected constructor: " + not + c.e.green(exp()) + "\n"
		if o, isObj := c.received.(*goja.Object); isObj && o.Prototype() == nil {
			return s + "Received value has no prototype\nReceived value: " + c.e.red(rec())
		} else if isObj {
			return s + "Received constructor: " + not + c.e.red(ctorName(o))
		}
		return s + "Received value: " + c.e.red(rec())
	}}
}
