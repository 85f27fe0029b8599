package jsfmt

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"
)

// minLineLength is Node's kMinLineLength: shorter strings are never split at newlines.
const minLineLength = 16

// units returns the UTF-16 code units of a JS string, lone surrogates included.
func units(v goja.Value) []uint16 {
	s, ok := v.(goja.String)
	if !ok {
		return utf16.Encode([]rune(v.String()))
	}
	u := make([]uint16, s.Length())
	for i := range u {
		u[i] = s.CharAt(i)
	}
	return u
}

var meta = func() [160]string {
	var m [160]string
	for i := range 32 {
		m[i] = fmt.Sprintf(`\x%02X`, i)
	}
	for i := 0x7f; i < 0xa0; i++ {
		m[i] = fmt.Sprintf(`\x%02X`, i)
	}
	m['\b'], m['\t'], m['\n'], m['\f'], m['\r'] = `\b`, `\t`, `\n`, `\f`, `\r`
	m['\''], m['\\'] = `\'`, `\\`
	return m
}()

// strEscape quotes a string like Node: single quotes unless the text holds one, control
// characters and lone surrogates escaped.
func strEscape(u []uint16) string {
	var has [3]bool // ' " `
	dollarBrace := false
	for i, c := range u {
		switch c {
		case '\'':
			has[0] = true
		case '"':
			has[1] = true
		case '`':
			has[2] = true
		case '$':
			dollarBrace = dollarBrace || (i+1 < len(u) && u[i+1] == '{')
		}
	}
	quote := uint16('\'')
	if has[0] {
		if !has[1] {
			quote = '"'
		} else if !has[2] && !dollarBrace {
			quote = '`'
		}
	}
	var b strings.Builder
	b.WriteRune(rune(quote))
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == quote && c == '\'', c == '\\', c < 32, c > 126 && c < 160:
			b.WriteString(meta[c])
		case utf16.IsSurrogate(rune(c)):
			if c <= 0xdbff && i+1 < len(u) && u[i+1] >= 0xdc00 && u[i+1] <= 0xdfff {
				b.WriteRune(utf16.DecodeRune(rune(c), rune(u[i+1])))
				i++
				continue
			}
			fmt.Fprintf(&b, `\u%x`, c)
		default:
			b.WriteRune(rune(c))
		}
	}
	b.WriteRune(rune(quote))
	return b.String()
}

// escapeKey escapes a symbol description or non-enumerable key without quoting it.
func escapeKey(s string) string {
	q := strEscape(utf16.Encode([]rune(s)))
	return q[1 : len(q)-1]
}

func (c *ctx) formatString(v goja.Value) string {
	u := units(v)
	trailer := ""
	if max := c.maxString; max >= 0 && len(u) > max {
		rest := len(u) - max
		u = u[:max]
		trailer = fmt.Sprintf("... %d more character%s", rest, plural(rest))
	}
	if !c.compactAll && len(u) > minLineLength && len(u) > c.breakLength-c.indent-4 {
		var parts []string
		start := 0
		for i, ch := range u {
			if ch == '\n' {
				parts = append(parts, c.stylize(strEscape(u[start:i+1]), "string"))
				start = i + 1
			}
		}
		if start < len(u) || len(parts) == 0 {
			parts = append(parts, c.stylize(strEscape(u[start:]), "string"))
		}
		return strings.Join(parts, " +\n"+strings.Repeat(" ", c.indent+2)) + trailer
	}
	return c.stylize(strEscape(u), "string") + trailer
}

func formatNumber(stylize func(string, string) string, v goja.Value) string {
	f := v.ToFloat()
	if f == 0 && math.Signbit(f) {
		return stylize("-0", "number")
	}
	return stylize(v.String(), "number")
}

// formatPrimitive renders anything that is not an object.
func (c *ctx) formatPrimitive(v goja.Value) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return c.stylize("undefined", "undefined")
	case goja.IsNull(v):
		return c.stylize("null", "null")
	case goja.IsString(v):
		return c.formatString(v)
	case goja.IsNumber(v):
		return formatNumber(c.stylize, v)
	case goja.IsBigInt(v):
		return c.stylize(v.String()+"n", "bigint")
	}
	if s, ok := v.(*goja.Symbol); ok {
		return c.stylize(c.symbolString(s), "symbol")
	}
	return c.stylize(v.String(), "boolean")
}

func (c *ctx) symbolString(s *goja.Symbol) string {
	if v, ok := call(c.realm().symToString, s); ok {
		return v.String()
	}
	return "Symbol(" + s.String() + ")"
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
