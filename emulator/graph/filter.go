package graph

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/mailscript/mailscript/emulator/store"
)

// A compiled $filter: a predicate plus the properties it names, in order of first appearance
// (Exchange's $orderby rule is stated in those terms).
type filter struct {
	match func(env) bool
	props []string
}

// env is what a filter expression evaluates against: a message, and the lambda variable of an
// any() when inside one.
type env struct {
	m        *store.Message
	folder   *folderRow // set instead of m when filtering mail folders
	draftsID string
	varName  string
	varValue any // store.Address or string
}

type token struct {
	kind string // "ident", "string", "op", "(", ")", ",", ":", "literal"
	text string
	pos  int
}

func lex(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		ch := rune(s[i])
		switch {
		case unicode.IsSpace(ch):
			i++
		case ch == '(' || ch == ')' || ch == ',' || ch == ':':
			out = append(out, token{string(ch), string(ch), i})
			i++
		case ch == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string literal at position %d in '%s'", i, s)
			}
			out = append(out, token{"string", b.String(), i})
			i = j + 1
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && !strings.ContainsRune("(),':", rune(s[j])) {
				j++
			}
			// Date-time literals contain ':' (2026-01-02T03:04:05Z): take them whole.
			if j < len(s) && s[j] == ':' && len(s[i:j]) >= 10 && s[i] >= '0' && s[i] <= '9' {
				for j < len(s) && !unicode.IsSpace(rune(s[j])) && s[j] != ')' && s[j] != ',' {
					j++
				}
			}
			out = append(out, token{"ident", s[i:j], i})
			i = j
		}
	}
	return out, nil
}

// maxFilterDepth bounds how deeply not, parentheses, functions and any() lambdas nest: the
// parser and the compiled predicate recurse once per level, and a Go stack overflow is fatal.
const maxFilterDepth = 100

type filterParser struct {
	toks  []token
	i     int
	depth int
	src   string
	props []string
	vars  []string
	// getter resolves a property path of the filtered type; typeName names it in errors.
	getter   func(string) func(env) any
	typeName string
}

// parseFilter compiles an OData $filter for messages, with Exchange's rules: comparison
// operators, and/or/not, parentheses, startswith/contains, any() over recipients and
// categories. Other functions are refused as the service refuses them.
func parseFilter(src string) (*filter, *apiError) {
	return parseFilterOn(src, messageGetter, "microsoft.graph.message")
}

func parseFilterOn(src string, getter func(string) func(env) any, typeName string) (*filter, *apiError) {
	toks, err := lex(src)
	if err != nil {
		return nil, errBadRequest("Invalid filter clause: " + err.Error())
	}
	p := &filterParser{toks: toks, src: src, getter: getter, typeName: typeName}
	fn, e := p.or()
	if e != nil {
		return nil, e
	}
	if p.i < len(p.toks) {
		return nil, p.syntax()
	}
	return &filter{match: fn, props: p.props}, nil
}

func (p *filterParser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{kind: "eof", pos: len(p.src)}
}

func (p *filterParser) syntax() *apiError {
	return errBadRequest(fmt.Sprintf("Invalid filter clause: Syntax error at position %d in '%s'.", p.peek().pos, p.src))
}

func (p *filterParser) keyword(k string) bool {
	if t := p.peek(); t.kind == "ident" && strings.EqualFold(t.text, k) {
		p.i++
		return true
	}
	return false
}

func (p *filterParser) or() (func(env) bool, *apiError) {
	l, e := p.and()
	for e == nil && p.keyword("or") {
		var r func(env) bool
		if r, e = p.and(); e == nil {
			a, b := l, r
			l = func(v env) bool { return a(v) || b(v) }
		}
	}
	return l, e
}

func (p *filterParser) and() (func(env) bool, *apiError) {
	l, e := p.unary()
	for e == nil && p.keyword("and") {
		var r func(env) bool
		if r, e = p.unary(); e == nil {
			a, b := l, r
			l = func(v env) bool { return a(v) && b(v) }
		}
	}
	return l, e
}

func (p *filterParser) unary() (func(env) bool, *apiError) {
	if t := p.peek(); t.kind == "(" || t.kind == "ident" && strings.EqualFold(t.text, "not") || p.i+1 < len(p.toks) && p.toks[p.i+1].kind == "(" {
		if p.depth++; p.depth > maxFilterDepth {
			return nil, errBadRequest(fmt.Sprintf("Invalid filter clause: the expression nests deeper than %d levels.", maxFilterDepth))
		}
		defer func() { p.depth-- }()
	}
	if p.keyword("not") {
		inner, e := p.unary()
		if e != nil {
			return nil, e
		}
		return func(v env) bool { return !inner(v) }, nil
	}
	if p.peek().kind == "(" {
		p.i++
		inner, e := p.or()
		if e != nil {
			return nil, e
		}
		if p.peek().kind != ")" {
			return nil, p.syntax()
		}
		p.i++
		return inner, nil
	}
	t := p.peek()
	if t.kind != "ident" {
		return nil, p.syntax()
	}
	p.i++
	if p.peek().kind == "(" {
		return p.function(t.text)
	}
	return p.comparison(t.text)
}

func (p *filterParser) function(name string) (func(env) bool, *apiError) {
	fn := strings.ToLower(name)
	if strings.HasSuffix(fn, "/any") {
		return p.lambda(name[:len(name)-4])
	}
	if fn != "startswith" && fn != "contains" {
		return nil, newError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
	}
	p.i++ // (
	prop := p.peek()
	if prop.kind != "ident" {
		return nil, p.syntax()
	}
	p.i++
	get, e := p.property(prop.text)
	if e != nil {
		return nil, e
	}
	if p.peek().kind != "," {
		return nil, p.syntax()
	}
	p.i++
	lit := p.peek()
	if lit.kind != "string" {
		return nil, p.syntax()
	}
	p.i++
	if p.peek().kind != ")" {
		return nil, p.syntax()
	}
	p.i++
	needle := strings.ToLower(lit.text)
	return func(v env) bool {
		s, ok := get(v).(string)
		if !ok {
			return false
		}
		if fn == "startswith" {
			return strings.HasPrefix(strings.ToLower(s), needle)
		}
		return strings.Contains(strings.ToLower(s), needle)
	}, nil
}

// lambda parses path/any(x: expr) over a collection property.
func (p *filterParser) lambda(path string) (func(env) bool, *apiError) {
	p.i++ // (
	v := p.peek()
	if v.kind != "ident" || p.i+1 >= len(p.toks) || p.toks[p.i+1].kind != ":" {
		return nil, p.syntax()
	}
	p.i += 2
	p.vars = append(p.vars, v.text)
	body, e := p.or()
	p.vars = p.vars[:len(p.vars)-1]
	if e != nil {
		return nil, e
	}
	if p.peek().kind != ")" {
		return nil, p.syntax()
	}
	p.i++
	p.note(path)
	if p.typeName != "microsoft.graph.message" {
		return nil, p.unknown(path)
	}
	var items func(*store.Message) []any
	switch path {
	case "toRecipients", "ccRecipients", "bccRecipients", "replyTo":
		items = func(m *store.Message) []any {
			list := map[string][]store.Address{"toRecipients": m.To, "ccRecipients": m.Cc, "bccRecipients": m.Bcc, "replyTo": m.ReplyTo}[path]
			out := make([]any, len(list))
			for i, a := range list {
				out[i] = a
			}
			return out
		}
	case "categories":
		items = func(m *store.Message) []any {
			out := make([]any, len(m.Categories))
			for i, c := range m.Categories {
				out[i] = c
			}
			return out
		}
	default:
		return nil, p.unknown(path)
	}
	name := v.text
	return func(ev env) bool {
		for _, it := range items(ev.m) {
			inner := ev
			inner.varName, inner.varValue = name, it
			if body(inner) {
				return true
			}
		}
		return false
	}, nil
}

func (p *filterParser) note(prop string) {
	for _, q := range p.props {
		if strings.EqualFold(q, prop) {
			return
		}
	}
	p.props = append(p.props, prop)
}

func (p *filterParser) comparison(prop string) (func(env) bool, *apiError) {
	get, e := p.property(prop)
	if e != nil {
		return nil, e
	}
	op := p.peek()
	if op.kind != "ident" {
		return nil, p.syntax()
	}
	opName := strings.ToLower(op.text)
	switch opName {
	case "eq", "ne", "gt", "ge", "lt", "le":
	default:
		return nil, p.syntax()
	}
	p.i++
	lit := p.peek()
	if lit.kind != "string" && lit.kind != "ident" {
		return nil, p.syntax()
	}
	p.i++
	want, err := literal(lit)
	if err != nil {
		return nil, errBadRequest("Invalid filter clause: " + err.Error())
	}
	return func(v env) bool { return compare(get(v), want, opName) }, nil
}

func (p *filterParser) unknown(prop string) *apiError {
	return errBadRequest("Could not find a property named '" + prop + "' on type '" + p.typeName + "'.")
}

func errUnknownProperty(p string) *apiError {
	return errBadRequest("Could not find a property named '" + p + "' on type 'microsoft.graph.message'.")
}
