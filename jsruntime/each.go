package jsruntime

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings/jsfmt"
)

// declareEach is test.each and describe.each, as in Jest: each(table)(name, fn, timeout?)
// declares one test (or suite) per row of table. A row that is an array is spread into fn's
// arguments and fills name's printf placeholders in order; any other row is passed whole, its
// properties named in name as $key. The tests are declared where the script calls each, so
// locations, .only and --grep work as for test().
func (h *harness) declareEach(declare func(goja.FunctionCall) goja.Value, what string) func(goja.FunctionCall) goja.Value {
	return func(call goja.FunctionCall) goja.Value {
		rt := h.vm.rt
		h.checkDeclare(what + "()")
		table, ok := call.Argument(0).(*goja.Object)
		if !ok || table.ClassName() != "Array" {
			panic(rt.NewTypeError("%s(table): table must be an array of cases, like %s([[1, 1, 2], [1, 2, 3]])('add(%%i, %%i) is %%i', (a, b, sum) => { ... })", what, what))
		}
		var rows []goja.Value
		for i := range table.Get("length").ToInteger() {
			rows = append(rows, table.Get(strconv.FormatInt(i, 10)))
		}
		return rt.ToValue(func(inner goja.FunctionCall) goja.Value {
			name, ok := inner.Argument(0).Export().(string)
			if !ok {
				panic(rt.NewTypeError("%s(table)(name, fn): name must be a string, with %%s or $key where each case's values go", what))
			}
			fn, ok := goja.AssertFunction(inner.Argument(1))
			if !ok {
				panic(rt.NewTypeError("%s(table)(%q, fn): fn must be a function", what, name))
			}
			for i, row := range rows {
				args := []goja.Value{row}
				if obj, ok := row.(*goja.Object); ok && obj.ClassName() == "Array" {
					args = args[:0]
					for j := range obj.Get("length").ToInteger() {
						args = append(args, obj.Get(strconv.FormatInt(j, 10)))
					}
				}
				body := rt.ToValue(func(c goja.FunctionCall) goja.Value {
					v, err := fn(c.This, args...)
					if err != nil {
						panic(err)
					}
					return v
				})
				declare(goja.FunctionCall{This: goja.Undefined(), Arguments: []goja.Value{rt.ToValue(eachTitle(rt, name, args, row, i)), body, inner.Argument(2)}})
			}
			return goja.Undefined()
		})
	}
}

var (
	eachPlaceholder = regexp.MustCompile(`%[sdifjoOp#%]`)
	eachKey         = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)`)
)

// eachTitle fills a test.each name for one case: %s %d %i %f %j %o %O %p take the row's values
// in order (%# is the case's index, %% a percent sign); with an object row, $key and
// $key.path take its properties.
func eachTitle(rt *goja.Runtime, name string, args []goja.Value, row goja.Value, index int) string {
	next := 0
	title := eachPlaceholder.ReplaceAllStringFunc(name, func(p string) string {
		switch p {
		case "%%":
			return "%"
		case "%#":
			return strconv.Itoa(index)
		}
		if next >= len(args) {
			return p
		}
		v := args[next]
		next++
		switch p {
		case "%s":
			if _, isObj := v.(*goja.Object); !isObj {
				return v.String()
			}
		case "%d", "%i":
			f := v.ToFloat()
			if p == "%i" || f == math.Trunc(f) {
				return strconv.FormatInt(int64(f), 10)
			}
			return strconv.FormatFloat(f, 'f', -1, 64)
		case "%f":
			return strconv.FormatFloat(v.ToFloat(), 'f', -1, 64)
		case "%j":
			if stringify, ok := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify")); ok {
				if s, err := stringify(goja.Undefined(), v); err == nil && !goja.IsUndefined(s) {
					return s.String()
				}
			}
		}
		return jsfmt.Format(rt, v, jsfmt.Options{Compact: true})
	})
	obj, ok := row.(*goja.Object)
	if !ok || obj.ClassName() == "Array" {
		return title
	}
	return eachKey.ReplaceAllStringFunc(title, func(k string) string {
		v := goja.Value(obj)
		for _, part := range strings.Split(k[1:], ".") {
			o, ok := v.(*goja.Object)
			if !ok {
				return k
			}
			if v = o.Get(part); v == nil {
				return k
			}
		}
		if _, isObj := v.(*goja.Object); !isObj && !goja.IsUndefined(v) {
			return v.String()
		}
		return jsfmt.Format(rt, v, jsfmt.Options{Compact: true})
	})
}
