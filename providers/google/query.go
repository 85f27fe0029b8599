package google

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/mailscript/mailscript/providers"
)

// query maps criteria to a Gmail q. Gmail search is by words, while the criteria mean
// case-insensitive substrings, so q only narrows by what surely matches (see wholeWords), and
// list applies the exact criteria afterwards. Dates become epoch seconds, which no time zone
// can shift, widened by a second on each side since Gmail compares whole seconds.
func query(c providers.Criteria, folderQ string) string {
	var q []string
	add := func(s string) {
		if s != "" {
			q = append(q, s)
		}
	}
	add(folderQ)
	if lit := strings.TrimSpace(c.From.Literal()); providers.IsAddress(lit) {
		add("from:" + quote(lit))
	}
	if a, ok := c.To.Address(); ok {
		// Gmail's to: matches the whole address, plus tag included; a Bcc'd address shows
		// only in Delivered-To.
		add(fmt.Sprintf("{to:%[1]s cc:%[1]s deliveredto:%[1]s}", quote(a)))
	} else if lit := strings.TrimSpace(c.To.Literal()); providers.IsAddress(lit) {
		add("to:" + quote(lit))
	}
	if w := wholeWords(c.Subject.Literal()); w != "" {
		add("subject:" + quote(w))
	}
	if w := wholeWords(c.Body.Literal()); w != "" {
		add(quote(w))
	}
	if c.Unread != nil {
		add(map[bool]string{true: "is:unread", false: "-is:unread"}[*c.Unread])
	}
	if c.HasAttachments != nil {
		add(map[bool]string{true: "has:attachment", false: "-has:attachment"}[*c.HasAttachments])
	}
	if !c.Since.IsZero() {
		add(fmt.Sprintf("after:%d", c.Since.Unix()-1))
	}
	if !c.Before.IsZero() {
		add(fmt.Sprintf("before:%d", c.Before.Unix()+1))
	}
	if s := strings.TrimSpace(c.Query); s != "" {
		add("(" + s + ")")
	}
	return strings.Join(q, " ")
}

// wholeWords returns the words of a substring literal that are certainly whole words of any
// text containing it: the first and last may be cut ("reset your pass" is in "preset your
// password"), so they count only when a separator bounds them inside the literal.
func wholeWords(lit string) string {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	words := strings.FieldsFunc(lit, func(r rune) bool { return !isWord(r) })
	if len(words) == 0 {
		return ""
	}
	runes := []rune(lit)
	if isWord(runes[0]) {
		words = words[1:]
	}
	if len(words) > 0 && isWord(runes[len(runes)-1]) {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// quote makes a Gmail phrase; the literals quoted here hold no double quotes (wholeWords drops
// punctuation, providers.IsAddress excludes quotes).
func quote(s string) string { return `"` + s + `"` }
