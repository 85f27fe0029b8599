package mail

import (
	"sort"
	"strings"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/providers"
)

// withTypoHelp wraps the mailbox object so that calling a method it lacks says what the
// mailbox has: box.reed(...) throws "box.reed is not a function; the mailbox has ... (did you
// mean read?)" instead of goja's "Value is not an object: undefined". Only a name close to a
// method reads as that throwing function; any other missing property reads as undefined, as on
// a plain object, so that box.user or box.nope is honestly absent, and so are the names that
// JavaScript itself and mailscript's formatters probe (then, toJSON, name, message...) even
// when close to a method, so `await box`, JSON.stringify and console.log behave. `in` and the
// keys are the target's own, so 'reed' in box is false.
func withTypoHelp(rt *goja.Runtime, target *goja.Object) goja.Value {
	return rt.ToValue(rt.NewProxy(target, &goja.ProxyTrapConfig{
		Get: func(target *goja.Object, property string, receiver goja.Value) goja.Value {
			if v := target.Get(property); v != nil {
				return v
			}
			if probed[property] {
				return goja.Undefined()
			}
			methods := methodNames(target)
			s := providers.Closest(property, methods)
			if s == "" {
				// Not a misspelt method: absent, as on any object, so that a script asking
				// whether the mailbox has a property (box.user, 'x' in box) gets an honest no.
				// nil rather than undefined: calling it then says "Object has no member 'nope'".
				return nil
			}
			return rt.ToValue(func(goja.FunctionCall) goja.Value {
				panic(rt.NewTypeError("box.%s is not a function; the mailbox has %s (did you mean %s?)", property, strings.Join(methods, ", "), s))
			})
		},
	}))
}

// probed are property names that code looking at any object reads to learn what it is: the
// promise and JSON protocols, the Jest-style matchers and the console's formatter.
var probed = map[string]bool{
	"then": true, "catch": true, "finally": true, "toJSON": true, "asymmetricMatch": true, "$$typeof": true, "nodeType": true,
	"inspect": true, "name": true, "message": true, "stack": true, "cause": true, "size": true, "length": true, "get": true,
	"has": true, "set": true, "test": true, "source": true, "flags": true, "prototype": true, "value": true, "failure": true, "diff": true,
}

// methodNames lists the mailbox's methods, sorted.
func methodNames(obj *goja.Object) []string {
	var names []string
	for _, k := range obj.Keys() {
		if _, ok := goja.AssertFunction(obj.Get(k)); ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}
