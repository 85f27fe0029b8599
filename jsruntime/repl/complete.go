package repl

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/dop251/goja"
)

// Completion is what the text before the cursor may go on with.
type Completion struct {
	Prefix     string   // the partial word before the cursor that Candidates complete
	Candidates []string // whole words starting with Prefix, sorted
}

var (
	// member is a dotted path of names ending in a dot and a partial name: `box.li`.
	member = regexp.MustCompile(`(?:^|[^\w$.])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.([\w$]*)$`)
	// word is a partial name at the end of the input: `bo`.
	word       = regexp.MustCompile(`(?:^|[^\w$.])([A-Za-z_$][\w$]*)$`)
	identifier = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)
)

var commands = []string{".clear", ".exit", ".help", ".load"}

// complete lists the globals, or the properties of the value before the dot, that the text
// before the cursor may go on with. Looking a value up runs the getters on its path, as
// Node's REPL does; nothing else is evaluated.
func (r *REPL) complete(before string) Completion {
	if len(r.pending) == 0 && strings.HasPrefix(before, ".") && !strings.ContainsAny(before, " \t") {
		return matching(before, commands)
	}
	if m := member.FindStringSubmatch(before); m != nil {
		v, err := r.vm.Runtime().RunString(m[1])
		if err != nil || v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			return Completion{Prefix: m[2]}
		}
		return matching(m[2], propertyNames(v.ToObject(r.vm.Runtime())))
	}
	if m := word.FindStringSubmatch(before); m != nil {
		names := append(propertyNames(r.vm.Runtime().GlobalObject()), r.lexical...)
		return matching(m[1], names)
	}
	return Completion{}
}

// propertyNames lists the names an object and its prototypes have, enumerable or not.
func propertyNames(obj *goja.Object) []string {
	var names []string
	for o := obj; o != nil; o = o.Prototype() {
		for _, n := range o.GetOwnPropertyNames() {
			if identifier.MatchString(n) {
				names = append(names, n)
			}
		}
	}
	return names
}

func matching(prefix string, names []string) Completion {
	c := Completion{Prefix: prefix}
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			c.Candidates = append(c.Candidates, n)
		}
	}
	sort.Strings(c.Candidates)
	c.Candidates = slices.Compact(c.Candidates)
	return c
}
