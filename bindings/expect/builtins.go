package expect

import "github.com/dop251/goja"

// builtins are the runtime's own functions, captured at New so that comparisons keep working
// when a script replaces them.
type builtins struct {
	objToString goja.Callable
	hasOwn      goja.Callable
	objectProto *goja.Object
}

func newBuiltins(rt *goja.Runtime) builtins {
	var b builtins
	if object, ok := rt.Get("Object").(*goja.Object); ok {
		b.objectProto, _ = object.Get("prototype").(*goja.Object)
	}
	if b.objectProto != nil {
		b.objToString, _ = goja.AssertFunction(b.objectProto.Get("toString"))
		b.hasOwn, _ = goja.AssertFunction(b.objectProto.Get("hasOwnProperty"))
	}
	return b
}

// className is Object.prototype.toString's "[object Type]".
func (e *Expect) className(o *goja.Object) string {
	if e.b.objToString != nil {
		if v, err := e.b.objToString(o); err == nil {
			return v.String()
		}
	}
	return "[object " + o.ClassName() + "]"
}

func (e *Expect) hasOwn(o *goja.Object, k goja.Value) bool {
	if e.b.hasOwn == nil {
		return !goja.IsUndefined(get(o, k))
	}
	v, err := e.b.hasOwn(o, k)
	return err == nil && v.ToBoolean()
}

// hasProperty looks along the prototype chain, short of Object.prototype, like Jest.
func (e *Expect) hasProperty(o *goja.Object, k goja.Value) bool {
	for p := o; p != nil && p != e.b.objectProto; p = p.Prototype() {
		if e.hasOwn(p, k) {
			return true
		}
	}
	return false
}

// valueOf unwraps boxed primitives and Dates.
func (e *Expect) valueOf(o *goja.Object) goja.Value {
	if fn, ok := goja.AssertFunction(o.Get("valueOf")); ok {
		if v, err := fn(o); err == nil {
			return v
		}
	}
	return o
}
