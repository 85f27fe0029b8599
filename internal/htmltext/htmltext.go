// Package htmltext renders HTML mail bodies as plain text. The Microsoft 365 provider derives
// a message's text with it and the emulator's Graph face converts bodies with it, as Exchange
// does, so both agree.
package htmltext

import (
	"html"
	"regexp"
	"strings"
	"sync"
)

// Text renders an HTML body as the plain text a reader sees, as mail clients and Exchange's
// body conversion do: only the visible text (no head, script or style), block elements on
// lines of their own with a blank line around paragraphs and headings, <br> as a line break,
// table cells separated by a space, runs of white space collapsed except inside <pre>, and
// character references decoded, and a link's address after its text ("Reset <https://...>")
// unless the text is the address. Microsoft 365 keeps a single body per message, HTML when the
// sender sent HTML, so this is where such a message's text comes from.
func Text(s string) string { return render(s, true) }

// Visible is Text without the link addresses: only what a reader sees on the page, as
// previews (Graph's bodyPreview, Gmail's snippet) and body searches take it.
func Visible(s string) string { return render(s, false) }

func render(s string, links bool) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	}
	p := patterns()
	var w textWriter
	pre := 0
	var href string // the open link's address
	var linkText strings.Builder
	text := func(t string) {
		t = html.UnescapeString(t)
		w.text(t, pre > 0)
		if href != "" {
			linkText.WriteString(t)
		}
	}
	for pos := 0; pos < len(s); {
		m := p.token.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			text(s[pos:])
			break
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += pos
			}
		}
		text(s[pos:m[0]])
		pos = m[1]
		if m[4] < 0 { // a comment or a declaration
			continue
		}
		closing, name, attrs := m[3] > m[2], strings.ToLower(s[m[4]:m[5]]), s[m[6]:m[7]]
		switch {
		case hiddenElement(name):
			if !closing {
				pos = skipElement(s, pos, name)
			}
		case name == "br":
			w.lineBreak()
		case name == "pre":
			w.block(2)
			if closing {
				pre = max(pre-1, 0)
			} else if !strings.HasSuffix(attrs, "/") {
				pre++
			}
		case name == "a" && !links: // an inline element whose address is not shown
		case name == "a" && !closing:
			href = linkAddress(p, attrs)
			linkText.Reset()
		case name == "a":
			if href != "" && strings.TrimSpace(linkText.String()) != href {
				w.space = true
				w.word("<" + href + ">")
			}
			href = ""
		default:
			w.element(name)
		}
	}
	return w.String()
}

// hiddenElement names the elements whose content is never shown.
func hiddenElement(name string) bool {
	switch name {
	case "head", "script", "style", "title", "template", "noscript":
		return true
	}
	return false
}

// skipElement returns the position after the end tag of the element name whose start tag ends
// at pos, or the end of s when it is not closed.
func skipElement(s string, pos int, name string) int {
	for i := pos; ; {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return len(s)
		}
		j += i
		if k := j + 2 + len(name); k <= len(s) && strings.EqualFold(s[j+2:k], name) {
			if gt := strings.IndexByte(s[k:], '>'); gt >= 0 {
				return k + gt + 1
			}
			return len(s)
		}
		i = j + 2
	}
}

type htmlPatterns struct{ token, attr *regexp.Regexp }

// patterns compile on first use rather than at every start-up.
var patterns = sync.OnceValue(func() htmlPatterns {
	return htmlPatterns{
		// A comment (to the end of the text when unclosed); a tag with its slash, name and
		// attributes, where a quoted value may hold '>'; or a declaration (<!DOCTYPE>, <?xml?>).
		token: regexp.MustCompile(`<!--[\s\S]*?(?:-->|$)|<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s*=\s*"[^"]*"|\s*=\s*'[^']*'|[^>])*)>|<[!?][^>]*>`),
		// One attribute: its name and its double-quoted, single-quoted or bare value.
		attr: regexp.MustCompile(`([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?`),
	}
})

// linkAddress returns the http(s) href among a tag's attributes, or "".
func linkAddress(p htmlPatterns, attrs string) string {
	for _, m := range p.attr.FindAllStringSubmatch(attrs, -1) {
		if !strings.EqualFold(m[1], "href") {
			continue
		}
		u := strings.TrimSpace(html.UnescapeString(m[2] + m[3] + m[4]))
		if l := strings.ToLower(u); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			return u
		}
		return ""
	}
	return ""
}

// textWriter collects text with at most one pending separator: a space, or a number of line
// breaks, written only before the next word so that the result has no trailing white space.
type textWriter struct {
	b        strings.Builder
	space    bool
	newlines int
}

func (w *textWriter) element(name string) {
	switch name {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl", "hr":
		w.block(2)
	case "div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "nav", "main",
		"aside", "address", "figure", "figcaption", "form", "fieldset", "center", "caption",
		"tbody", "thead", "tfoot":
		w.block(1)
	case "td", "th":
		w.space = true
	}
}

// block asks for n line breaks before the next word (never at the very start).
func (w *textWriter) block(n int) {
	w.newlines = max(w.newlines, n)
}

func (w *textWriter) lineBreak() {
	w.newlines++
}

func (w *textWriter) text(s string, pre bool) {
	if pre {
		lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
		for i, line := range lines {
			if i > 0 {
				w.lineBreak()
			}
			if line != "" {
				w.word(line)
			}
		}
		return
	}
	words := strings.Fields(s)
	if len(words) == 0 {
		if s != "" {
			w.space = true
		}
		return
	}
	if startsWithSpace(s) {
		w.space = true
	}
	for i, word := range words {
		if i > 0 {
			w.space = true
		}
		w.word(word)
	}
	if endsWithSpace(s) {
		w.space = true
	}
}

func (w *textWriter) word(s string) {
	if w.b.Len() > 0 {
		switch {
		case w.newlines > 0:
			w.b.WriteString(strings.Repeat("\n", w.newlines))
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	w.newlines, w.space = 0, false
	w.b.WriteString(s)
}

func (w *textWriter) String() string { return w.b.String() }

func startsWithSpace(s string) bool {
	return strings.TrimLeftFunc(s, isSpace) != s
}

func endsWithSpace(s string) bool {
	return strings.TrimRightFunc(s, isSpace) != s
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\u00a0'
}
