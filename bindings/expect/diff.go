package expect

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"github.com/mailscript/mailscript/bindings/jsfmt"
)

// Unchanged runs longer than 2*diffContext lines are shortened to their ends.
const diffContext = 5

// maxDiffCells bounds the line-matching table; beyond it the diff shows all lines replaced.
const maxDiffCells = 4_000_000

// diffable reports whether a line diff says more than the two values would: objects, and
// strings spanning lines.
func diffable(expected, received goja.Value) bool {
	_, eo := expected.(*goja.Object)
	_, ro := received.(*goja.Object)
	if eo && ro {
		_, ef := goja.AssertFunction(expected)
		_, rf := goja.AssertFunction(received)
		return !ef && !rf
	}
	return goja.IsString(expected) && goja.IsString(received) &&
		(strings.Contains(expected.String(), "\n") || strings.Contains(received.String(), "\n"))
}

// diff renders a Jest-style line diff, or "" when the values print the same.
func (e *Expect) diff(expected, received goja.Value) string {
	text := func(v goja.Value) string {
		if goja.IsString(v) {
			return v.String()
		}
		// BreakLength 1 puts every property and item on a line of its own.
		return jsfmt.Format(e.rt, v, jsfmt.Options{Depth: -1, BreakLength: 1})
	}
	exp, rec := text(expected), text(received)
	if exp == rec {
		return ""
	}
	return e.diffLines(strings.Split(exp, "\n"), strings.Split(rec, "\n"))
}

type diffLine struct {
	op   byte // ' ', '-', '+'
	text string
}

func (e *Expect) diffLines(a, b []string) string {
	lines := lcsDiff(a, b)
	removed, added := 0, 0
	for _, l := range lines {
		switch l.op {
		case '-':
			removed++
		case '+':
			added++
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n%s\n", e.green(fmt.Sprintf("- Expected  - %d", removed)), e.red(fmt.Sprintf("+ Received  + %d", added)))
	sb.WriteString("\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l.op == ' ' {
			j := i
			for j < len(lines) && lines[j].op == ' ' {
				j++
			}
			if j-i > 2*diffContext+1 {
				keepHead, keepTail := diffContext, diffContext
				if i == 0 {
					keepHead = 0
				}
				if j == len(lines) {
					keepTail = 0
				}
				for _, c := range lines[i : i+keepHead] {
					sb.WriteString("  " + c.text + "\n")
				}
				sb.WriteString(e.paint("33", "  ...") + "\n")
				for _, c := range lines[j-keepTail : j] {
					sb.WriteString("  " + c.text + "\n")
				}
				i = j - 1
				continue
			}
		}
		switch l.op {
		case '-':
			sb.WriteString(e.green("- "+l.text) + "\n")
		case '+':
			sb.WriteString(e.red("+ "+l.text) + "\n")
		default:
			sb.WriteString("  " + l.text + "\n")
		}
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// lcsDiff aligns a and b on their longest common subsequence of lines.
func lcsDiff(a, b []string) []diffLine {
	var out []diffLine
	if len(a)*len(b) > maxDiffCells {
		for _, s := range a {
			out = append(out, diffLine{'-', s})
		}
		for _, s := range b {
			out = append(out, diffLine{'+', s})
		}
		return out
	}
	n, m := len(a), len(b)
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, diffLine{' ', a[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] > lcs[i+1][j]):
			out = append(out, diffLine{'+', b[j]})
			j++
		default:
			out = append(out, diffLine{'-', a[i]})
			i++
		}
	}
	return out
}
