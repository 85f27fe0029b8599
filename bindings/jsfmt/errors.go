package jsfmt

import (
	"regexp"
	"strings"

	"github.com/dop251/goja"
)

// formatError is Node's formatError: the stack (or "Name: message"), with the constructor
// name worked in, and the keys to list after it minus those the stack already shows.
func (c *ctx) formatError(o *goja.Object, ctor, tag string, keys []goja.Value) (string, []goja.Value) {
	r := c.realm()
	name := "Error"
	if n := o.Get("name"); !isUndef(n) && !goja.IsNull(n) {
		name = n.String()
	}
	var stack string
	if s := o.Get("stack"); s != nil && s.ToBoolean() {
		stack = strings.TrimRight(s.String(), "\n") // goja ends stacks with a newline, V8 does not
	} else {
		stack = str(must(call(r.errToString, o)))
	}

	kept := keys[:0:0]
	for _, k := range keys {
		if n := k.String(); (n == "name" || n == "message" || n == "stack") && strings.Contains(stack, str(o.Get(n))) {
			continue
		}
		kept = append(kept, k)
	}
	keys = kept
	for _, extra := range []string{"cause", "errors"} {
		if hasKey(keys, extra) || !r.desc(o, c.rt.ToValue(extra)).ok {
			continue
		}
		if v, isObj := o.Get(extra).(*goja.Object); extra == "errors" && (!isObj || v.ClassName() != "Array") {
			continue
		}
		keys = append(keys, c.rt.ToValue(extra))
	}

	stack = improveStack(stack, ctor, name, tag)
	pos := -1
	if msg := o.Get("message"); msg != nil && msg.ToBoolean() {
		if i := strings.Index(stack, msg.String()); i > 0 {
			pos = i + len(msg.String())
		}
	}
	if frames := stackStart(stack, max(pos, 0)); frames == -1 {
		stack = "[" + stack + "]"
	}
	if c.indent != 0 {
		stack = strings.ReplaceAll(stack, "\n", "\n"+strings.Repeat(" ", c.indent))
	}
	return stack, keys
}

// stackStart finds the first frame line, in V8's ("    at") or goja's ("\tat") layout.
func stackStart(stack string, from int) int {
	if from > len(stack) {
		return -1
	}
	best := -1
	for _, marker := range []string{"\n    at", "\n\tat"} {
		if i := strings.Index(stack[from:], marker); i != -1 && (best == -1 || from+i < best) {
			best = from + i
		}
	}
	return best
}

func hasKey(keys []goja.Value, name string) bool {
	for _, k := range keys {
		if _, sym := k.(*goja.Symbol); !sym && k.String() == name {
			return true
		}
	}
	return false
}

// improveStack names the constructor when the stack only names the error type, e.g. a
// class ValidationError extends Error whose stack starts "Error: ...".
func improveStack(stack, ctor, name, tag string) string {
	n := len(name)
	if ctor != "" && !(strings.HasSuffix(name, "Error") && strings.HasPrefix(stack, name) &&
		(len(stack) == n || stack[n] == ':' || stack[n] == '\n')) {
		return stack
	}
	fallback := "Error"
	if ctor == "" {
		fallback = ""
		if m := nullErrorRe.FindStringSubmatch(stack); m != nil {
			fallback = m[1] + m[2]
		}
		n = len(fallback)
		if fallback == "" {
			fallback = "Error"
		}
	}
	prefix := strings.TrimSuffix(getPrefix(ctor, tag, fallback, ""), " ")
	if name == prefix {
		return stack
	}
	if strings.Contains(prefix, name) {
		if n == 0 {
			return prefix + ": " + stack
		}
		return prefix + stack[n:]
	}
	return prefix + " [" + name + "]" + stack[n:]
}

var nullErrorRe = regexp.MustCompile(`^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)|^([a-z_A-Z0-9-]*Error)$`)
