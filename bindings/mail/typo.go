package mail

import (
	"sort"
	"strings"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/providers"
)

// withTypoHelp wraps the mailbox object so that a misspelt method says what the mailbox has:
// box.reed(...) throws "box.reed is not a function; the mailbox has ... (did you mean read?)"
// instead of goja's "Object has no member 'reed'". Only a name close to a method reads as
// that throwing function; any other missing property reads as undefined, as on a plain object
// (so `await box`, JSON.stringify and checks like `box.then` behave), and `in` and the keys
// are the target's own.
func withTypoHelp(rt *goja.Runtime, target *goja.Object) goja.Value {
	return rt.ToValue(rt.NewProxy(target, &goja.ProxyTrapConfig{
		Get: func(target *goja.Object, property string, receiver goja.Value) goja.Value {
			if v := target.Get(property); v != nil {
				return v
			}
			methods := methodNames(target)
			suggestion := providers.Closest(property, methods)
			if suggestion == "" {
				return goja.Undefined()
			}
			return rt.ToValue(func(goja.FunctionCall) goja.Value {
				panic(rt.NewTypeError("box.%s is not a function; the mailbox has %s (did you mean %s?)", property, strings.Join(methods, ", "), suggestion))
			})
		},
	}))
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
