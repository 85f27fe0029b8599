package gmail

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// query is a parsed Gmail search expression (the q parameter of messages.list).
type query interface {
	match(d *doc) bool
}

type (
	allOf []query
	anyOf []query
	not   struct{ q query }
	// term is one operator:value pair, or a bare word or quoted phrase, compiled to a test.
	term func(d *doc) bool
)

func (a allOf) match(d *doc) bool {
	for _, q := range a {
		if !q.match(d) {
			return false
		}
	}
	return true
}

func (a anyOf) match(d *doc) bool {
	for _, q := range a {
		if q.match(d) {
			return true
		}
	}
	return false
}

func (n not) match(d *doc) bool  { return !n.q.match(d) }
func (t term) match(d *doc) bool { return t(d) }

type token struct {
	kind  byte // 'w' word, 'q' quoted phrase, or one of ( ) { } -
	text  string
	op    string // for words of the form op:value
	quote bool   // the value after op: was quoted
}

// lex splits q the way Gmail's search box does: whitespace separates terms, "..." keeps a
// phrase together (also after op:), a leading - negates, and () {} group.
func lex(q string) ([]token, error) {
	var out []token
	rs := []rune(q)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case strings.ContainsRune("(){}", c):
			out = append(out, token{kind: byte(c)})
			i++
		case c == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]):
			out = append(out, token{kind: '-'})
			i++
		case c == '"':
			end := indexRune(rs, i+1, '"')
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote at offset %d", i)
			}
			out = append(out, token{kind: 'q', text: string(rs[i+1 : end])})
			i = end + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("(){}\"", rs[j]) {
				j++
			}
			w := string(rs[i:j])
			t := token{kind: 'w', text: w}
			if k := strings.IndexByte(w, ':'); k > 0 {
				t.op, t.text = strings.ToLower(w[:k]), w[k+1:]
				if t.text == "" && j < len(rs) && rs[j] == '"' {
					end := indexRune(rs, j+1, '"')
					if end < 0 {
						return nil, fmt.Errorf("unterminated quote at offset %d", j)
					}
					t.text, t.quote, j = string(rs[j+1:end]), true, end+1
				}
			}
			out = append(out, t)
			i = j
		}
	}
	return out, nil
}

func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// Bounds on q. Gmail documents none; these are far above any query a person or a script
// writes, and keep the recursive parser and matcher on a small stack (a Go stack overflow is
// fatal, not a panic).
const (
	maxQueryLength = 16 << 10
	maxQueryDepth  = 100
)

type parser struct {
	toks  []token
	pos   int
	depth int // groups and negations open around the current token
	ctx   queryContext
	// groupOp is the operator of an enclosing op:( ... ) group, which Gmail applies to each
	// bare word inside: from:(a OR b) means from:a OR from:b.
	groupOp string
}

// queryContext carries what term evaluation needs from outside the message (the clock, for
// newer_than:) and what the parse learns about the query (whether it reaches into spam/trash).
type queryContext struct {
	now         time.Time
	spamOrTrash bool
}

// parseQuery turns q into a query; an empty q matches everything.
func parseQuery(q string, ctx *queryContext) (query, error) {
	if len(q) > maxQueryLength {
		return nil, fmt.Errorf("the query is %d bytes long; at most %d are allowed", len(q), maxQueryLength)
	}
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, ctx: *ctx}
	expr, err := p.sequence(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("unbalanced %q", string(p.toks[p.pos].kind))
	}
	ctx.spamOrTrash = p.ctx.spamOrTrash
	return expr, nil
}

// sequence reads terms joined by implicit AND (and explicit OR/AND) until closer or the end.
func (p *parser) sequence(closer byte) (query, error) {
	var and allOf
	for p.pos < len(p.toks) && p.toks[p.pos].kind != closer {
		if t := p.toks[p.pos]; t.kind == ')' || t.kind == '}' {
			return nil, fmt.Errorf("unbalanced %q", string(t.kind))
		}
		q, err := p.disjunction()
		if err != nil {
			return nil, err
		}
		and = append(and, q)
	}
	if len(and) == 1 {
		return and[0], nil
	}
	return and, nil
}

func (p *parser) isWord(w string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == 'w' && p.toks[p.pos].op == "" && p.toks[p.pos].text == w
}

func (p *parser) disjunction() (query, error) {
	first, err := p.unary()
	if err != nil {
		return nil, err
	}
	or := anyOf{first}
	for p.isWord("OR") || p.isWord("|") {
		p.pos++
		if p.pos >= len(p.toks) {
			return nil, fmt.Errorf("OR at the end of the query has nothing on its right")
		}
		q, err := p.unary()
		if err != nil {
			return nil, err
		}
		or = append(or, q)
	}
	if p.isWord("AND") {
		p.pos++
	}
	if len(or) == 1 {
		return first, nil
	}
	return or, nil
}

func (p *parser) unary() (query, error) {
	t := p.toks[p.pos]
	p.pos++
	if t.kind == '-' || t.kind == '(' || t.kind == '{' {
		if p.depth++; p.depth > maxQueryDepth {
			return nil, fmt.Errorf("groups and negations nest deeper than %d levels", maxQueryDepth)
		}
		defer func() { p.depth-- }()
	}
	switch t.kind {
	case '-':
		if p.pos >= len(p.toks) {
			return nil, fmt.Errorf("'-' at the end of the query negates nothing")
		}
		q, err := p.unary()
		return not{q}, err
	case '(', '{':
		closer := byte(')')
		if t.kind == '{' {
			closer = '}'
		}
		inner, err := p.sequence(closer)
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.toks) {
			return nil, fmt.Errorf("missing %q", string(closer))
		}
		p.pos++
		if all, ok := inner.(allOf); ok && closer == '}' {
			return anyOf(all), nil // {a b} is Gmail's shorthand for a OR b
		}
		return inner, nil
	case 'q':
		return p.term(p.groupOp, t.text)
	default:
		if t.op != "" && t.text == "" && !t.quote && p.pos < len(p.toks) && p.toks[p.pos].kind == '(' {
			outer := p.groupOp
			p.groupOp = t.op
			q, err := p.unary()
			p.groupOp = outer
			return q, err
		}
		if t.op == "" {
			return p.term(p.groupOp, t.text)
		}
		return p.term(t.op, t.text)
	}
}
