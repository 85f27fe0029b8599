package expect

import (
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// pathPartRe splits a string path such as 'a.b[0].c' into its keys: a, b, 0, c.
var pathPartRe = regexp.MustCompile(`[^.[\]]+`)

// toHaveProperty checks that a path ('a.b[0].c' or ['a', 'b']) exists in received and,
// when a second argument is given, that the value there deep-equals it.
func toHaveProperty(c *call, args []goja.Value) outcome {
	path := arg(args, 0)
	withValue := len(args) > 1
	if withValue {
		c.sig = "path, value"
	}
	if goja.IsUndefined(c.received) || goja.IsNull(c.received) {
		c.usage("received value must not be null nor undefined", "Received", c.received)
	}
	var keys []string
	switch p := path.(type) {
	case *goja.Object:
		if p.ClassName() != "Array" {
			c.usage("expected path must be a string or array", "Expected path", path)
		}
		for _, k := range p.Export().([]any) {
			keys = append(keys, c.e.rt.ToValue(k).String())
		}
	default:
		if !goja.IsString(path) {
			c.usage("expected path must be a string or array", "Expected path", path)
		}
		keys = pathPartRe.FindAllString(path.String(), -1)
	}
	if len(keys) == 0 {
		c.usage("expected path must not be an empty string or array", "Expected path", path)
	}
	cur, found := c.received, 0
	for _, k := range keys {
		o := cur.ToObject(c.e.rt)
		key := c.e.rt.ToValue(k)
		if !c.e.hasProperty(o, key) && goja.IsUndefined(prop(o, k)) {
			break
		}
		cur = prop(o, k)
		found++
		if goja.IsUndefined(cur) || goja.IsNull(cur) {
			break
		}
	}
	exists := found == len(keys)
	expected := arg(args, 1)
	pass := exists && (!withValue || c.e.equals(cur, expected, eqLoose))
	pathText := c.e.format(path)
	out := outcome{pass: pass, received: c.lazy(c.received)}
	if withValue {
		out.expected = c.lazy(expected)
	}
	out.body = func() string {
		not := ""
		if c.not {
			not = "not "
		}
		s := "Expected path: " + not + c.e.green(pathText) + "\n"
		if !exists {
			return s + "Received path: " + c.e.red(c.e.format(c.e.rt.ToValue(strings.Join(keys[:found], ".")))) +
				"\n\nReceived value: " + c.e.red(out.received())
		}
		if withValue {
			s += "\nExpected value: " + not + c.e.green(out.expected())
		}
		return s + "\nReceived value: " + c.e.red(c.e.format(cur))
	}
	if pass != c.not && exists && withValue && !c.not && diffable(expected, cur) {
		out.diff = c.e.diff(expected, cur)
	}
	return out
}
