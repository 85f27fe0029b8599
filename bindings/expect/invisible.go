package expect

import (
	"fmt"
	"strings"
	"unicode"
)

// invisibleDiff explains two strings that a terminal shows the same: they differ only in line
// endings, or in characters that print as nothing or as a plain space (NBSP, zero-width
// spaces, a byte order mark, trailing whitespace). It returns "" for strings that differ in
// what a reader sees, whose ordinary diff says enough.
func (e *Expect) invisibleDiff(exp, rec string) string {
	var note string
	switch {
	case exp == rec:
		return ""
	case lf(exp) == lf(rec):
		note = fmt.Sprintf("the strings differ only in line endings (%s vs %s): expected has %s, received has %s",
			eol(exp), eol(rec), eol(exp), eol(rec))
	case visible(exp) == visible(rec):
		note = "the strings differ only in invisible characters (shown below as escapes)"
	default:
		return ""
	}
	return note + "\n\n" + e.diffLines(escapeLines(exp), escapeLines(rec))
}

// lf turns CRLF and lone CR line endings into LF.
func lf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// eol names the line endings s uses.
func eol(s string) string {
	crlf := strings.Count(s, "\r\n")
	cr, n := strings.Count(s, "\r")-crlf, strings.Count(s, "\n")-crlf
	switch {
	case crlf > 0 && cr == 0 && n == 0:
		return "CRLF"
	case cr > 0 && crlf == 0 && n == 0:
		return "CR"
	case n > 0 && crlf == 0 && cr == 0:
		return "LF"
	case crlf+cr+n == 0:
		return "no line break"
	}
	return "mixed line endings"
}

// visible is what a reader sees of s: line endings unified, no-break spaces as spaces,
// format characters (zero-width spaces and joiners, BOM) dropped, trailing whitespace trimmed.
func visible(s string) string {
	lines := strings.Split(lf(s), "\n")
	for i, l := range lines {
		l = strings.Map(func(r rune) rune {
			switch {
			case r == '\u00A0' || r == '\u202F' || r == '\u2007':
				return ' '
			case r == '\u200B' || unicode.Is(unicode.Cf, r):
				return -1
			}
			return r
		}, l)
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

// escapeLines splits s into lines (keeping a CR that precedes LF on its line) and spells out
// every character visible() would hide, as JavaScript escapes.
func escapeLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		body := strings.TrimRight(l, " \t\r")
		var b strings.Builder
		for _, r := range body {
			b.WriteString(escapeRune(r, false))
		}
		for _, r := range l[len(body):] {
			b.WriteString(escapeRune(r, true))
		}
		lines[i] = b.String()
	}
	return lines
}

// escapeRune spells r as an escape when it is invisible; trailing marks whitespace at the end
// of a line, where even a plain space or tab hides.
func escapeRune(r rune, trailing bool) string {
	switch {
	case r == '\r':
		return `\r`
	case r == '\t' && trailing:
		return `\t`
	case r == ' ' && trailing:
		return `\x20`
	case r == '\u00A0' || r == '\u202F' || r == '\u2007' || r == '\u200B' || unicode.Is(unicode.Cf, r):
		return fmt.Sprintf(`\u%04X`, r)
	}
	return string(r)
}
