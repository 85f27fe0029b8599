package repl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/evanw/esbuild/pkg/api"
)

// goja runs scripts, where await is not allowed at the top level; input that needs it runs in
// an async function instead, as Node's REPL does.
const (
	asyncStart = "(async () => {\n"
	asyncEnd   = "\n})()"
)

// parsed is what prepare made of the input so far.
type parsed struct {
	code       string // what to evaluate
	incomplete bool   // the input stops in the middle of a statement: keep reading
	syntax     string // why the input is not JavaScript, with its position
}

// prepare turns the input typed so far into code for VM.Eval.
func prepare(src string) parsed {
	if strings.TrimSpace(src) == "" {
		return parsed{code: ""}
	}
	// A line starting with "{" is an object to show rather than a block (Node does the same).
	if t := strings.TrimSpace(src); strings.HasPrefix(t, "{") && !strings.HasSuffix(t, ";") {
		if _, err := parser.ParseFile(nil, "", "("+t+")", 0); err == nil {
			return parsed{code: "(" + t + ")"}
		}
	}
	_, plain := parser.ParseFile(nil, "", src, 0)
	if plain == nil {
		return parsed{code: src}
	}
	if _, err := parser.ParseFile(nil, "", asyncStart+src+asyncEnd, 0); err != nil {
		// Inside the open function, complete input only ends too early at the very end.
		_, open := parser.ParseFile(nil, "", asyncStart+src, 0)
		return parsed{incomplete: endsEarly(open), syntax: describe(plain)}
	}
	if code, ok := hoistAwait(src); ok {
		return parsed{code: code}
	}
	return parsed{syntax: describe(plain)}
}

// describe says what is wrong with the input and where, without the parser's file name.
func describe(err error) string {
	var list parser.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return err.Error()
	}
	p := list[0].Position
	return fmt.Sprintf("%s (line %d, column %d)", list[0].Message, p.Line, p.Column)
}

// endsEarly tells a parse error that only more input can fix.
func endsEarly(err error) bool {
	var list parser.ErrorList
	return errors.As(err, &list) && len(list) > 0 && list[0].Message == "Unexpected end of input"
}

// hoistAwait wraps src in an async function whose result is the value of its last
// expression statement, moving its top-level declarations out so that later lines see them:
// `const x = await f()` becomes `let x; (async () => { void (x = await f()); })()`.
//
// Statements are cut out of esbuild's printing of src, where every top-level statement starts
// a line: goja's node positions leave out enclosing parentheses, so they cannot mark where a
// statement starts.
func hoistAwait(src string) (string, bool) {
	res := api.Transform(src, api.TransformOptions{Loader: api.LoaderJS, Target: api.ESNext, LogLevel: api.LogLevelSilent})
	if len(res.Errors) > 0 {
		return "", false
	}
	body := strings.TrimRight(string(res.Code), "\n")
	prog, err := parser.ParseFile(nil, "", asyncStart+body+asyncEnd, 0)
	if err != nil {
		return "", false
	}
	stmts := topLevel(prog)
	if stmts == nil {
		return "", false
	}
	// Offsets into body: goja's are 1-based and count the wrapper.
	starts := make([]int, len(stmts)+1)
	for i, s := range stmts {
		at := int(s.Idx0()) - 1 - len(asyncStart)
		starts[i] = strings.LastIndexByte(body[:at], '\n') + 1
	}
	starts[len(stmts)] = len(body)

	var outer, inner strings.Builder
	dropped := droppedResult(src, len(stmts))
	for i, s := range stmts {
		text := body[starts[i]:starts[i+1]]
		stmt := strings.TrimRight(text, "; \n")
		switch s := s.(type) {
		case *ast.ReturnStatement:
			return "", false // a return at the prompt is a mistake to report, not to run
		case *ast.VariableStatement:
			outer.WriteString("var " + strings.Join(boundNames(s.List), ", ") + ";\n")
			inner.WriteString(assignment(stmt, "var"))
		case *ast.LexicalDeclaration:
			outer.WriteString("let " + strings.Join(boundNames(s.List), ", ") + ";\n")
			inner.WriteString(assignment(stmt, s.Token.String()))
		case *ast.FunctionDeclaration:
			outer.WriteString(text + "\n") // functions are hoisted: global scope keeps that
		case *ast.ClassDeclaration:
			outer.WriteString("let " + s.Class.Name.Name.String() + ";\n")
			inner.WriteString(s.Class.Name.Name.String() + " = " + stmt + ";\n")
		case *ast.ExpressionStatement:
			if i == len(stmts)-1 && dropped == "" {
				inner.WriteString("return (" + stmt + "\n);\n")
				continue
			}
			inner.WriteString(text)
		default:
			inner.WriteString(text)
		}
	}
	if dropped != "" {
		inner.WriteString("return (" + dropped + "\n);\n")
	}
	return outer.String() + asyncStart + inner.String() + asyncEnd, true
}

// droppedResult returns the text of src's last statement when it is an expression that
// esbuild left out of its printing (it drops expressions without side effects, such as
// 'a' + 'b'), so that its value is still the line's result; "" otherwise.
func droppedResult(src string, printed int) string {
	prog, err := parser.ParseFile(nil, "", asyncStart+src+asyncEnd, 0)
	if err != nil {
		return ""
	}
	stmts := topLevel(prog)
	if len(stmts) == 0 || len(stmts) <= printed {
		return ""
	}
	if _, ok := stmts[len(stmts)-1].(*ast.ExpressionStatement); !ok {
		return ""
	}
	from := 0
	if len(stmts) > 1 {
		from = int(stmts[len(stmts)-2].Idx1()) - 1 - len(asyncStart)
	}
	return strings.Trim(src[max(from, 0):], "; \t\r\n")
}

// topLevel returns the statements of the async wrapper's body.
func topLevel(prog *ast.Program) []ast.Statement {
	if len(prog.Body) != 1 {
		return nil
	}
	es, ok := prog.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	call, ok := es.Expression.(*ast.CallExpression)
	if !ok {
		return nil
	}
	fn, ok := call.Callee.(*ast.ArrowFunctionLiteral)
	if !ok {
		return nil
	}
	block, ok := fn.Body.(*ast.BlockStatement)
	if !ok {
		return nil
	}
	return block.List
}

// assignment turns `let a = 1, {b} = c` into `void (a = 1, {b} = c);`: the same bindings
// assigned to the hoisted variables. esbuild prints the keyword first.
func assignment(stmt, keyword string) string {
	rest := strings.TrimSpace(strings.TrimPrefix(stmt, keyword))
	return "void (" + rest + ");\n"
}

// boundNames lists the variables that declarations bind, patterns included.
func boundNames(list []*ast.Binding) []string {
	var names []string
	var walk func(t ast.Node)
	walk = func(t ast.Node) {
		switch t := t.(type) {
		case *ast.Identifier:
			names = append(names, t.Name.String())
		case *ast.ArrayPattern:
			for _, e := range t.Elements {
				walk(e)
			}
			walk(t.Rest)
		case *ast.ObjectPattern:
			for _, p := range t.Properties {
				switch p := p.(type) {
				case *ast.PropertyShort:
					names = append(names, p.Name.Name.String())
				case *ast.PropertyKeyed:
					walk(p.Value)
				}
			}
			walk(t.Rest)
		case *ast.AssignExpression: // a default value: {a = 1}
			walk(t.Left)
		}
	}
	for _, b := range list {
		walk(b.Target)
	}
	return names
}
