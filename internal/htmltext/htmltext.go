// Package htmltext renders HTML mail bodies as plain text. The Microsoft 365 provider derives
// a message's text with it and the emulator's Graph face converts bodies with it, as Exchange
// does, so both agree.
package htmltext

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text renders an HTML body as the plain text a reader sees, as mail clients and Exchange's
// body conversion do: only the visible text (no head, script or style), block elements on
// lines of their own with a blank line around paragraphs and headings, <br> as a line break,
// table cells separated by a space, runs of white space collapsed except inside <pre>, and
// character references decoded, and a link's address after its text ("Reset <https://...>")
// unless the text is the address. Microsoft 365 keeps a single body per message, HTML when the
// sender sent HTML, so this is where such a message's text comes from.
func Text(s string) string {
	if !strings.Contains(s, "<") && !strings.Contains(s, "&") {
		return strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	}
	var w textWriter
	z := html.NewTokenizer(strings.NewReader(s))
	hidden, pre := 0, 0
	var href string // the open link's address
	var linkText strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case html.TextToken:
			if hidden == 0 {
				t := string(z.Text())
				w.text(t, pre > 0)
				if href != "" {
					linkText.WriteString(t)
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			switch {
			case hiddenElement(a):
				if tt == html.StartTagToken {
					hidden++
				}
			case a == atom.Br:
				w.lineBreak()
			case a == atom.Pre:
				w.block(2)
				if tt == html.StartTagToken {
					pre++
				}
			case a == atom.A && tt == html.StartTagToken:
				href = linkAddress(z)
				linkText.Reset()
			default:
				w.element(a)
			}
		case html.EndTagToken:
			switch {
			case hiddenElement(a):
				hidden = max(hidden-1, 0)
			case a == atom.Pre:
				pre = max(pre-1, 0)
				w.block(2)
			case a == atom.A:
				if href != "" && strings.TrimSpace(linkText.String()) != href {
					w.space = true
					w.word("<" + href + ">")
				}
				href = ""
			default:
				w.element(a)
			}
		}
	}
	return w.String()
}

// linkAddress returns the tag's http(s) href, or "".
func linkAddress(z *html.Tokenizer) string {
	for {
		k, v, more := z.TagAttr()
		if string(k) == "href" {
			u := strings.TrimSpace(string(v))
			if l := strings.ToLower(u); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
				return u
			}
		}
		if !more {
			return ""
		}
	}
}

func hiddenElement(a atom.Atom) bool {
	switch a {
	case atom.Head, atom.Script, atom.Style, atom.Title, atom.Template, atom.Noscript:
		return true
	}
	return false
}

// textWriter collects text with at most one pending separator: a space, or a number of line
// breaks, written only before the next word so that the result has no trailing white space.
type textWriter struct {
	b        strings.Builder
	space    bool
	newlines int
}

func (w *textWriter) element(a atom.Atom) {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Table,
		atom.Ul, atom.Ol, atom.Dl, atom.Hr:
		w.block(2)
	case atom.Div, atom.Li, atom.Tr, atom.Dt, atom.Dd, atom.Section, atom.Article, atom.Header,
		atom.Footer, atom.Nav, atom.Main, atom.Aside, atom.Address, atom.Figure, atom.Figcaption,
		atom.Form, atom.Fieldset, atom.Center, atom.Caption, atom.Tbody, atom.Thead, atom.Tfoot:
		w.block(1)
	case atom.Td, atom.Th:
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
