package jsruntime

import (
	"fmt"
	"os"
	"strings"
)

// codeFrame shows the line before and the offending line of file with a caret under col,
// Jest-style. lineText stands in when the file cannot be read.
func (vm *VM) codeFrame(file string, line, col int, lineText string) string {
	lines, ok := vm.sources[file]
	if !ok {
		if data, err := os.ReadFile(file); err == nil {
			lines = strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		}
		vm.sources[file] = lines
	}
	text := func(n int) (string, bool) {
		if n >= 1 && n <= len(lines) {
			return lines[n-1], true
		}
		if n == line && lineText != "" {
			return lineText, true
		}
		return "", false
	}
	target, ok := text(line)
	if !ok {
		return ""
	}
	width := len(fmt.Sprint(line))
	var b strings.Builder
	if prev, ok := text(line - 1); ok && strings.TrimSpace(prev) != "" {
		fmt.Fprintf(&b, "  %*d | %s\n", width, line-1, prev)
	}
	fmt.Fprintf(&b, "> %*d | %s\n", width, line, target)
	fmt.Fprintf(&b, "  %*s | %s^", width, "", caretPad(target, col))
	return b.String()
}

// caretPad is the whitespace that puts a caret under the col-th character of line, keeping
// tabs so that it lines up however the terminal renders them.
func caretPad(line string, col int) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		if n >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		n++
	}
	return b.String()
}
