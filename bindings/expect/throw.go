package expect

import (
	"strings"

	"github.com/dop251/goja"
)

// toThrow calls the received function (or, after .rejects, takes the rejection) and checks
// what was thrown against a substring, a RegExp, an Error class or an error's message.
func toThrow(c *call, args []goja.Value) outcome {
	expected := arg(args, 0)
	var thrown goja.Value
	if c.promise == "rejects" {
		thrown = c.received
	} else {
		fn, ok := goja.AssertFunction(c.received)
		if !ok {
			c.usage("received value must be a function", "Received", c.received)
		}
		if _, err := fn(goja.Undefined()); err != nil {
			ex, isJS := err.(*goja.Exception)
			if !isJS {
				panic(err) // an interrupt: the test is being stopped, not asserted on
			}
			thrown = ex.Value()
			if thrown == nil {
				thrown = goja.Undefined()
			}
		}
	}
	threw := thrown != nil
	message := ""
	if threw {
		message = thrownMessage(thrown)
	}
	msgValue := c.e.rt.ToValue(message)
	exp := c.lazy(expected)
	out := outcome{}
	if !goja.IsUndefined(expected) {
		out.expected = exp
	}
	if threw {
		out.received = c.lazy(thrown)
	}
	not := func() string {
		if c.not {
			return "not "
		}
		return ""
	}
	receivedLines := func() string {
		if !threw {
			return "Received function did not throw"
		}
		return "Received message: " + c.e.red(c.e.format(msgValue))
	}
	eo, isObj := expected.(*goja.Object)
	_, isFn := goja.AssertFunction(expected)
	switch {
	case goja.IsUndefined(expected):
		out.pass = threw
		out.body = func() string {
			if c.not {
				return "Received function threw: " + c.e.red(out.received())
			}
			return "Received function did not throw"
		}
	case goja.IsString(expected):
		out.pass = threw && strings.Contains(message, expected.String())
		out.body = func() string { return "Expected substring: " + not() + c.e.green(exp()) + "\n" + receivedLines() }
	case isObj && eo.ClassName() == "RegExp":
		test, _ := goja.AssertFunction(prop(eo, "test"))
		if threw {
			res, err := test(eo, msgValue)
			if err != nil {
				panic(err)
			}
			out.pass = res.ToBoolean()
		}
		out.body = func() string { return "Expected pattern: " + not() + c.e.green(exp()) + "\n" + receivedLines() }
	case isFn:
		name := prop(eo, "name").String()
		to, thrownObj := thrown.(*goja.Object)
		out.pass = threw && thrownObj && c.e.rt.InstanceOf(to, eo)
		out.expected = text(name)
		out.body = func() string {
			s := "Expected constructor: " + not() + c.e.green(name) + "\n"
			if !threw {
				return s + receivedLines()
			}
			if thrownObj {
				s += "Received constructor: " + c.e.red(ctorName(to)) + "\n\n"
			}
			return s + receivedLines()
		}
	case isObj:
		want := thrownMessage(eo)
		out.pass = threw && message == want
		out.body = func() string {
			return "Expected message: " + not() + c.e.green(c.e.format(c.e.rt.ToValue(want))) + "\n" + receivedLines()
		}
	default:
		c.usage("expected value must be a string or regular expression or class or error", "Expected", expected)
	}
	return out
}

// thrownMessage is what toThrow matches against: an error's message, or the thrown value as text.
func thrownMessage(v goja.Value) string {
	if o, ok := v.(*goja.Object); ok {
		if m := prop(o, "message"); m != nil && !goja.IsUndefined(m) {
			return m.String()
		}
	}
	if v == nil || goja.IsUndefined(v) {
		return "undefined"
	}
	if s, ok := v.(*goja.Symbol); ok {
		return s.String()
	}
	return v.String()
}
