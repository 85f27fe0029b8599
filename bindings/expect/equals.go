package expect

import (
	"reflect"

	"github.com/dop251/goja"

	"github.com/mailscript/mailscript/bindings/jsfmt"
)

// eqMode picks Jest's flavour of deep equality.
type eqMode int

const (
	eqLoose  eqMode = iota // toEqual: undefined properties ignored
	eqStrict               // toStrictEqual: undefined properties, sparseness and classes count
	eqSubset               // toMatchObject: expected objects may list fewer properties
)

// equality is one deep comparison, Jest's equals(): the stacks detect cycles.
type equality struct {
	e              *Expect
	mode           eqMode
	aStack, bStack []*goja.Object
}

// equals reports whether received a deep-equals expected b.
func (e *Expect) equals(a, b goja.Value, mode eqMode) bool {
	q := &equality{e: e, mode: mode}
	return q.eq(a, b)
}

func (q *equality) eq(a, b goja.Value) bool {
	if ok, decided := q.asymmetric(a, b); decided {
		return ok
	}
	if a.SameAs(b) {
		return true
	}
	ao, aok := a.(*goja.Object)
	bo, bok := b.(*goja.Object)
	if !aok || !bok {
		return false
	}
	if q.mode == eqSubset && isObjectWithKeys(bo) {
		return q.cycleSafe(ao, bo, q.subset)
	}
	classA, classB := q.e.className(ao), q.e.className(bo)
	if ao.ClassName() == "Error" && bo.ClassName() == "Error" {
		return prop(ao, "message").SameAs(prop(bo, "message"))
	}
	if classA != classB {
		return false
	}
	switch classA {
	case "[object Number]", "[object String]", "[object Boolean]":
		return q.e.valueOf(ao).SameAs(q.e.valueOf(bo))
	case "[object Date]":
		ta, tb := q.e.valueOf(ao), q.e.valueOf(bo)
		return ta.SameAs(tb) || goja.IsNaN(ta) && goja.IsNaN(tb)
	case "[object RegExp]":
		return prop(ao, "source").SameAs(prop(bo, "source")) && prop(ao, "flags").SameAs(prop(bo, "flags"))
	}
	if _, isFn := goja.AssertFunction(ao); isFn {
		return false
	}
	return q.cycleSafe(ao, bo, func(ao, bo *goja.Object) bool { return q.objects(ao, bo, classA) })
}

// cycleSafe runs cmp unless a is already being compared, in which case b must be its partner.
func (q *equality) cycleSafe(a, b *goja.Object, cmp func(a, b *goja.Object) bool) bool {
	for i := len(q.aStack) - 1; i >= 0; i-- {
		if q.aStack[i] == a {
			return q.bStack[i] == b
		}
	}
	q.aStack, q.bStack = append(q.aStack, a), append(q.bStack, b)
	defer func() { q.aStack, q.bStack = q.aStack[:len(q.aStack)-1], q.bStack[:len(q.bStack)-1] }()
	return cmp(a, b)
}

func (q *equality) objects(a, b *goja.Object, class string) bool {
	isArray := a.ClassName() == "Array" && b.ClassName() == "Array"
	if q.mode == eqStrict && !isArray && !prop(a, "constructor").SameAs(prop(b, "constructor")) {
		return false
	}
	if isArray && !prop(a, "length").SameAs(prop(b, "length")) {
		return false
	}
	switch class {
	case "[object Map]", "[object Set]":
		return q.iterables(a, b, class == "[object Map]")
	}
	if ta, tb := a.ExportType(), b.ExportType(); ta == tb && intSlice[ta] {
		return reflect.DeepEqual(a.Export(), b.Export())
	}
	if q.mode == eqStrict && isArray && !reflect.DeepEqual(a.Keys(), b.Keys()) {
		return false // sparseness: [, 1] is not [undefined, 1]
	}
	aKeys, bKeys := q.keys(a), q.keys(b)
	if len(aKeys) != len(bKeys) {
		return false
	}
	for _, k := range aKeys {
		if !q.hasKey(b, k) || !q.eq(get(a, k), get(b, k)) {
			return false
		}
	}
	return true
}

// intSlice lists the Export types of integer typed arrays, compared in one go.
var intSlice = map[reflect.Type]bool{
	reflect.TypeOf([]uint8{}): true, reflect.TypeOf([]int8{}): true, reflect.TypeOf([]uint16{}): true,
	reflect.TypeOf([]int16{}): true, reflect.TypeOf([]uint32{}): true, reflect.TypeOf([]int32{}): true,
	reflect.TypeOf([]int64{}): true, reflect.TypeOf([]uint64{}): true,
}

// subset is Jest's subsetEquality: every property of b is found, equal, in a.
func (q *equality) subset(a, b *goja.Object) bool {
	for _, k := range jsfmt.OwnKeys(q.e.rt, b) {
		if !q.e.hasProperty(a, k) || !q.eq(get(a, k), get(b, k)) {
			return false
		}
	}
	return true
}

// iterables is Jest's iterableEquality for Maps and Sets: order does not matter, and a
// missing key or item may be matched by a deep-equal one.
func (q *equality) iterables(a, b *goja.Object, isMap bool) bool {
	if !prop(a, "size").SameAs(prop(b, "size")) {
		return false
	}
	has, _ := goja.AssertFunction(prop(b, "has"))
	getB, _ := goja.AssertFunction(prop(b, "get"))
	all := true
	q.e.rt.ForOf(a, func(item goja.Value) bool {
		key, val := item, goja.Value(nil)
		if isMap {
			kv := item.(*goja.Object)
			key, val = prop(kv, "0"), prop(kv, "1")
		}
		if has != nil {
			if found, err := has(b, key); err == nil && found.ToBoolean() {
				if !isMap {
					return true
				}
				if getB == nil {
					return false
				}
				if bv, err := getB(b, key); err == nil && q.eq(val, bv) {
					return true
				}
			}
		}
		found := false
		q.e.rt.ForOf(b, func(other goja.Value) bool {
			if isMap {
				kv := other.(*goja.Object)
				found = q.eq(key, prop(kv, "0")) && q.eq(val, prop(kv, "1"))
			} else {
				found = q.eq(key, other)
			}
			return !found
		})
		all = found
		return found
	})
	return all
}

// asymmetric applies expect.any() and friends (anything with an asymmetricMatch method).
func (q *equality) asymmetric(a, b goja.Value) (ok, decided bool) {
	am, bm := asymmetricMatch(a), asymmetricMatch(b)
	switch {
	case am != nil && bm == nil:
		return q.callMatch(am, a, b), true
	case bm != nil && am == nil:
		return q.callMatch(bm, b, a), true
	}
	return false, false
}

func (q *equality) callMatch(match goja.Callable, matcher, other goja.Value) bool {
	res, err := match(matcher, other)
	if err != nil {
		panic(err)
	}
	return res.ToBoolean()
}

func asymmetricMatch(v goja.Value) goja.Callable {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	fn, _ := goja.AssertFunction(prop(o, "asymmetricMatch"))
	return fn
}

func isObjectWithKeys(o *goja.Object) bool {
	switch o.ClassName() {
	case "Error", "Array", "Date":
		return false
	}
	return true
}

// keys lists what Jest compares: own enumerable keys, minus those holding undefined unless strict.
func (q *equality) keys(o *goja.Object) []goja.Value {
	var keys []goja.Value
	for _, k := range jsfmt.OwnKeys(q.e.rt, o) {
		if q.hasKey(o, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func (q *equality) hasKey(o *goja.Object, k goja.Value) bool {
	if !q.e.hasOwn(o, k) {
		return false
	}
	return q.mode == eqStrict || !goja.IsUndefined(get(o, k))
}

// get reads a string or symbol property; missing properties read as undefined.
func get(o *goja.Object, k goja.Value) goja.Value {
	var v goja.Value
	if s, ok := k.(*goja.Symbol); ok {
		v = o.GetSymbol(s)
	} else {
		v = o.Get(k.String())
	}
	if v == nil {
		return goja.Undefined()
	}
	return v
}

// prop reads a named property; missing properties read as undefined.
func prop(o *goja.Object, name string) goja.Value {
	if v := o.Get(name); v != nil {
		return v
	}
	return goja.Undefined()
}

// ctorName is the name of o's constructor, for messages.
func ctorName(o *goja.Object) string {
	if c, ok := prop(o, "constructor").(*goja.Object); ok {
		if n := prop(c, "name").String(); n != "" {
			return n
		}
	}
	return "(anonymous)"
}

func isFunction(v goja.Value) bool {
	_, ok := goja.AssertFunction(v)
	return ok
}
