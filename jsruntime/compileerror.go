package jsruntime

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/evanw/esbuild/pkg/api"
)

// CompileError is a script esbuild could not bundle: syntax errors, refused or missing imports.
type CompileError struct {
	Problems []Problem // at least one
}

// Problem is one message of a CompileError.
type Problem struct {
	Name     string // SyntaxError or ImportError
	Message  string
	File     string // absolute path, "" when unknown
	Line     int    // 1-based
	Column   int    // 1-based, in characters
	LineText string // the offending line
}

func (e *CompileError) Error() string {
	p := e.Problems[0]
	msg := p.Name + ": " + p.Message
	if p.File != "" {
		msg = fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, msg)
	}
	if n := len(e.Problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

func newCompileError(msgs []api.Message, dir string) *CompileError {
	e := &CompileError{}
	for _, m := range msgs {
		p := Problem{Name: "SyntaxError", Message: m.Text}
		if m.PluginName != "" || strings.HasPrefix(m.Text, "Could not resolve") {
			p.Name = "ImportError"
		}
		if l := m.Location; l != nil && l.File != entryNamespace {
			p.File = l.File
			if !filepath.IsAbs(p.File) {
				p.File = filepath.Join(dir, filepath.FromSlash(p.File))
			}
			p.Line = l.Line
			col := min(max(l.Column, 0), len(l.LineText))
			p.Column = utf8.RuneCountInString(l.LineText[:col]) + 1
			p.LineText = l.LineText
		}
		e.Problems = append(e.Problems, p)
	}
	return e
}
