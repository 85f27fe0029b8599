package gmail

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// doc is a message as search sees it. Everything but labels comes from the message bytes and
// can be cached; labels change with modify and trash.
type doc struct {
	from, to, cc, bcc, deliveredTo string // decoded header values, lower-cased
	subject                        string // normalized by words()
	text                           string // words() of subject, body and addresses together
	internalMs                     int64
	hasAttachment                  bool
	filenames                      []string
	messageID                      string // without angle brackets, lower-cased
	size                           int64
	// labels holds lower-cased label ids and normalized user-label names (see labelKey).
	labels map[string]bool
}

// words lower-cases s and reduces it to space-separated words with a space at either end, so
// that a phrase matches on word boundaries with a plain substring test.
func words(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// labelKey is how label: names compare: Gmail lets a query write "My Label" or "parent/child"
// as my-label and parent-child, case-insensitively.
func labelKey(name string) string {
	return strings.NewReplacer(" ", "-", "/", "-").Replace(strings.ToLower(name))
}

// pst is the zone Gmail reads YYYY/MM/DD dates in ("midnight PST", per the search docs).
var pst = time.FixedZone("PST", -8*3600)

func (p *parser) term(op, value string) (query, error) {
	v := strings.ToLower(value)
	var t term
	headerTest := func(field func(d *doc) string) {
		t = func(d *doc) bool { return strings.Contains(field(d), v) }
	}
	switch op {
	case "":
		phrase := words(value)
		t = func(d *doc) bool { return strings.Contains(d.text, phrase) }
	case "from":
		headerTest(func(d *doc) string { return d.from })
	case "to":
		headerTest(func(d *doc) string { return d.to })
	case "cc":
		headerTest(func(d *doc) string { return d.cc })
	case "bcc":
		headerTest(func(d *doc) string { return d.bcc })
	case "deliveredto":
		headerTest(func(d *doc) string { return d.deliveredTo })
	case "subject":
		phrase := words(value)
		t = func(d *doc) bool { return strings.Contains(d.subject, phrase) }
	case "after", "before", "newer", "older":
		at, err := parseDate(value)
		if err != nil {
			return nil, fmt.Errorf("%s:%s: %v", op, value, err)
		}
		ms := at.UnixMilli()
		if op == "after" || op == "newer" {
			t = func(d *doc) bool { return d.internalMs >= ms }
		} else {
			t = func(d *doc) bool { return d.internalMs < ms }
		}
	case "newer_than", "older_than":
		at, err := relativeDate(p.ctx.now, v)
		if err != nil {
			return nil, fmt.Errorf("%s:%s: %v", op, value, err)
		}
		ms := at.UnixMilli()
		if op == "newer_than" {
			t = func(d *doc) bool { return d.internalMs > ms }
		} else {
			t = func(d *doc) bool { return d.internalMs < ms }
		}
	case "is":
		switch v {
		case "unread":
			t = hasLabel("unread")
		case "read":
			t = func(d *doc) bool { return !d.labels["unread"] }
		case "starred", "important", "sent", "draft", "inbox", "trash", "spam":
			t = hasLabel(v)
		default:
			return nil, fmt.Errorf("is:%s is not supported: use is:unread, is:read, is:starred or is:important", value)
		}
	case "in", "label":
		switch labelKey(v) {
		case "anywhere":
			p.ctx.spamOrTrash = true
			t = func(*doc) bool { return true }
		case "trash", "spam":
			p.ctx.spamOrTrash = true
			t = hasLabel(labelKey(v))
		case "drafts":
			t = hasLabel("draft")
		default:
			t = hasLabel(labelKey(v))
		}
	case "category":
		id, ok := categories[v]
		if !ok {
			return nil, fmt.Errorf("category:%s is unknown: use primary, social, promotions, updates or forums", value)
		}
		t = hasLabel(strings.ToLower(id))
	case "has":
		switch v {
		case "attachment":
			t = func(d *doc) bool { return d.hasAttachment }
		case "userlabels", "nouserlabels":
			want := v == "userlabels"
			t = func(d *doc) bool { return hasUserLabel(d) == want }
		default:
			return nil, fmt.Errorf("has:%s is not supported: use has:attachment or has:userlabels", value)
		}
	case "filename":
		t = func(d *doc) bool {
			for _, f := range d.filenames {
				if strings.Contains(f, v) {
					return true
				}
			}
			return false
		}
	case "rfc822msgid":
		id := strings.Trim(v, "<>")
		t = func(d *doc) bool { return d.messageID == id }
	case "larger", "smaller", "size":
		n, err := parseSize(v)
		if err != nil {
			return nil, fmt.Errorf("%s:%s: %v", op, value, err)
		}
		if op == "smaller" {
			t = func(d *doc) bool { return d.size < n }
		} else {
			t = func(d *doc) bool { return d.size > n }
		}
	default:
		// Gmail reads an unknown operator as plain text to search for.
		phrase := words(op + ":" + value)
		t = func(d *doc) bool { return strings.Contains(d.text, phrase) }
	}
	return t, nil
}

var categories = map[string]string{
	"primary": "CATEGORY_PERSONAL", "social": "CATEGORY_SOCIAL", "promotions": "CATEGORY_PROMOTIONS",
	"updates": "CATEGORY_UPDATES", "forums": "CATEGORY_FORUMS",
}

func hasLabel(key string) func(d *doc) bool {
	return func(d *doc) bool { return d.labels[key] }
}

func hasUserLabel(d *doc) bool {
	for k := range d.labels {
		if strings.HasPrefix(k, "label_") {
			return true
		}
	}
	return false
}

// parseDate reads the forms Gmail accepts after after:/before:: YYYY/MM/DD (also with dashes),
// MM/DD/YYYY, and epoch seconds.
func parseDate(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	for _, layout := range []string{"2006/1/2", "2006-1-2", "1/2/2006"} {
		if t, err := time.ParseInLocation(layout, s, pst); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("want YYYY/MM/DD or epoch seconds")
}

// relativeDate reads newer_than:/older_than: values: a count and d (days), m (months) or y (years).
func relativeDate(now time.Time, s string) (time.Time, error) {
	if len(s) < 2 {
		return time.Time{}, fmt.Errorf("want a number followed by d, m or y, like 2d")
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("want a number followed by d, m or y, like 2d")
	}
	switch s[len(s)-1] {
	case 'd':
		return now.AddDate(0, 0, -n), nil
	case 'm':
		return now.AddDate(0, -n, 0), nil
	case 'y':
		return now.AddDate(-n, 0, 0), nil
	}
	return time.Time{}, fmt.Errorf("want a number followed by d, m or y, like 2d")
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		mult, s = 1<<20, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a byte count, optionally with K or M, like 5M")
	}
	return n * mult, nil
}
