package graph

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/mailscript/mailscript/emulator/store"
)

// $search on messages is KQL: free-text words and "phrases", property restrictions
// (subject:foo, received>=2026-01-01, size:1..5000), the upper-case operators AND, OR, NOT,
// + and -, and parentheses. Lower-case and/or/not are ordinary words. Adjacent terms combine
// with AND, except repeated restrictions on one property, which KQL unites (OR).

type searchFn func(*store.Message) bool

// Bounds on a $search value. KQL built through the search object model is limited to 4,096
// characters (SharePoint's documented default, which Exchange's index shares); the nesting
// bound keeps the recursive parser and the compiled matcher on a small stack whatever the
// input, since a Go stack overflow is fatal, not a panic.
const (
	maxSearchLength = 4096
	maxSearchDepth  = 100
)

type kqlToken struct {
	kind string // "term", "op" (AND, OR, NOT, +, -), "(", ")"
	text string
	pos  int
}

func errSearch(src, why string) *apiError {
	return errBadRequest("Syntax error in $search '" + src + "': " + why + ".")
}

// searchValue strips the double quotes the value is wrapped in and unescapes \" inside.
func searchValue(src string) string {
	s := strings.TrimSpace(src)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(s)
}

// lexKQL splits the unquoted value s; orig is the parameter as sent, for errors.
func lexKQL(s, orig string) ([]kqlToken, *apiError) {
	var out []kqlToken
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
			continue
		case r == '(' || r == ')':
			out = append(out, kqlToken{string(r), string(r), i})
			i++
			continue
		case (r == '+' || r == '-') && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]):
			out = append(out, kqlToken{"op", string(r), i})
			i++
			continue
		}
		start := i
		for i < len(rs) && !unicode.IsSpace(rs[i]) && rs[i] != '(' && rs[i] != ')' {
			if rs[i] == '"' {
				end := i + 1
				for end < len(rs) && rs[end] != '"' {
					end++
				}
				if end == len(rs) {
					return nil, errSearch(orig, "unterminated quoted phrase")
				}
				i = end
			}
			i++
		}
		text := string(rs[start:i])
		kind := "term"
		if text == "AND" || text == "OR" || text == "NOT" {
			kind = "op"
		}
		out = append(out, kqlToken{kind, text, start})
	}
	return out, nil
}

type kqlParser struct {
	src   string
	toks  []kqlToken
	i     int
	depth int // unary operators and parentheses open around the current token
}

func (p *kqlParser) peek() kqlToken {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return kqlToken{kind: "eof"}
}

// parseSearch compiles a $search value on messages.
func parseSearch(src string) (searchFn, *apiError) {
	if len(src) > maxSearchLength {
		return nil, errBadRequest(fmt.Sprintf("Syntax error in $search: the query is %d characters long; KQL allows at most %d.", len(src), maxSearchLength))
	}
	toks, e := lexKQL(searchValue(src), src)
	if e != nil {
		return nil, e
	}
	if len(toks) == 0 {
		return nil, errSearch(src, "the query is empty")
	}
	p := &kqlParser{src: src, toks: toks}
	fn, _, e := p.or()
	if e == nil && p.i < len(p.toks) {
		e = errSearch(src, "unexpected '"+p.peek().text+"'")
	}
	return fn, e
}

func (p *kqlParser) or() (searchFn, string, *apiError) {
	l, prop, e := p.and()
	for e == nil && p.peek().kind == "op" && p.peek().text == "OR" {
		p.i++
		var r searchFn
		if r, _, e = p.and(); e == nil {
			l, prop = orFn(l, r), ""
		}
	}
	return l, prop, e
}

// and joins operands; an implicit join of two restrictions on the same property is an OR.
func (p *kqlParser) and() (searchFn, string, *apiError) {
	l, prop, e := p.unary()
	for e == nil {
		t := p.peek()
		explicit := t.kind == "op" && t.text == "AND"
		if !explicit && (t.kind == "eof" || t.kind == ")" || (t.kind == "op" && t.text == "OR")) {
			break
		}
		if explicit {
			p.i++
		}
		var r searchFn
		var rprop string
		if r, rprop, e = p.unary(); e != nil {
			break
		}
		if !explicit && prop != "" && prop == rprop {
			l = orFn(l, r)
			continue
		}
		a, b := l, r
		l, prop = func(m *store.Message) bool { return a(m) && b(m) }, ""
	}
	return l, prop, e
}

func orFn(a, b searchFn) searchFn { return func(m *store.Message) bool { return a(m) || b(m) } }

func (p *kqlParser) unary() (searchFn, string, *apiError) {
	t := p.peek()
	if t.kind == "op" || t.kind == "(" {
		if p.depth++; p.depth > maxSearchDepth {
			return nil, "", errSearch(p.src, fmt.Sprintf("operators and parentheses nest deeper than %d levels", maxSearchDepth))
		}
		defer func() { p.depth-- }()
	}
	switch {
	case t.kind == "op" && (t.text == "NOT" || t.text == "-"):
		p.i++
		inner, _, e := p.unary()
		if e != nil {
			return nil, "", e
		}
		return func(m *store.Message) bool { return !inner(m) }, "", nil
	case t.kind == "op" && t.text == "+":
		p.i++
		return p.unary()
	case t.kind == "(":
		p.i++
		inner, _, e := p.or()
		if e != nil {
			return nil, "", e
		}
		if p.peek().kind != ")" {
			return nil, "", errSearch(p.src, "missing ')'")
		}
		p.i++
		return inner, "", nil
	case t.kind == "term":
		p.i++
		return compileTerm(p.src, t.text)
	case t.kind == "eof":
		return nil, "", errSearch(p.src, "an operator needs an expression after it")
	}
	return nil, "", errSearch(p.src, "unexpected '"+t.text+"'")
}

// normalizeWords lower-cases s and turns every run of non-alphanumerics into one space, so
// that matching works on whole words.
func normalizeWords(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// wordMatch reports whether the words of needle occur in hay consecutively, the last one
// possibly as the prefix of a longer word (Exchange's index matches word prefixes).
func wordMatch(hay, needle string) bool {
	n := normalizeWords(needle)
	if n == "" {
		return false
	}
	return strings.Contains(" "+normalizeWords(hay), " "+n)
}
