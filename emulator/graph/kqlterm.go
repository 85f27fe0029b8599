package graph

import (
	"strconv"
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/internal/htmltext"
)

// searchable lists the KQL properties Graph documents for messages, lower-cased.
var searchable = map[string]bool{
	"attachment": true, "bcc": true, "body": true, "cc": true, "from": true, "hasattachment": true,
	"hasattachments": true, "importance": true, "kind": true, "participants": true, "received": true,
	"recipients": true, "sent": true, "size": true, "subject": true, "to": true,
}

// restrictionOps are KQL's property operators, longest first so that ">=" wins over ">".
var restrictionOps = []string{"<>", "<=", ">=", ":", "=", "<", ">"}

// compileTerm compiles a free-text word or phrase, or a property restriction. It also returns
// the restricted property, for KQL's same-property union rule.
func compileTerm(src, text string) (searchFn, string, *apiError) {
	prop, op, value := splitRestriction(text)
	if prop == "" {
		needle := strings.Trim(text, `"*`)
		return func(m *store.Message) bool {
			return addrMatch(needle, m.From) || wordMatch(m.Subject, needle) || bodyMatch(m, needle)
		}, "", nil
	}
	value = strings.TrimSuffix(strings.Trim(value, `"`), "*")
	fn, e := restriction(prop, op, value)
	if e != nil {
		return nil, "", errSearch(src, e.Error())
	}
	return fn, prop, nil
}

// splitRestriction splits prop<op>value when prop is a searchable property; KQL treats
// anything else (including "prop: value" with a space) as free text.
func splitRestriction(text string) (prop, op, value string) {
	end := strings.IndexFunc(text, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') })
	if end <= 0 {
		return "", "", ""
	}
	name := strings.ToLower(text[:end])
	if !searchable[name] {
		return "", "", ""
	}
	for _, o := range restrictionOps {
		if v, ok := strings.CutPrefix(text[end:], o); ok && v != "" {
			return name, o, v
		}
	}
	return "", "", ""
}

func addrMatch(needle string, as ...store.Address) bool {
	for _, a := range as {
		if wordMatch(a.Name+" "+a.Address, needle) {
			return true
		}
	}
	return false
}

func bodyMatch(m *store.Message, needle string) bool {
	return wordMatch(m.Text, needle) || wordMatch(htmltext.Visible(m.HTML), needle)
}

type kqlError string

func (e kqlError) Error() string { return string(e) }

func restriction(prop, op, value string) (searchFn, error) {
	text := func(get func(*store.Message) bool) (searchFn, error) {
		if op != ":" && op != "=" {
			return nil, kqlError("property '" + prop + "' takes ':' or '=', not '" + op + "'")
		}
		return get, nil
	}
	switch prop {
	case "from":
		return text(func(m *store.Message) bool { return addrMatch(value, m.From, m.Sender) })
	case "to":
		return text(func(m *store.Message) bool { return addrMatch(value, m.To...) })
	case "cc":
		return text(func(m *store.Message) bool { return addrMatch(value, m.Cc...) })
	case "bcc":
		return text(func(m *store.Message) bool { return addrMatch(value, m.Bcc...) })
	case "recipients":
		return text(func(m *store.Message) bool { return addrMatch(value, concat(m.To, m.Cc, m.Bcc)...) })
	case "participants":
		return text(func(m *store.Message) bool {
			return addrMatch(value, concat([]store.Address{m.From}, m.To, m.Cc, m.Bcc)...)
		})
	case "subject":
		return text(func(m *store.Message) bool { return wordMatch(m.Subject, value) })
	case "body":
		return text(func(m *store.Message) bool { return bodyMatch(m, value) })
	case "attachment":
		return text(func(m *store.Message) bool {
			for _, a := range m.Attachments {
				if wordMatch(a.Name, value) {
					return true
				}
			}
			return false
		})
	case "hasattachment", "hasattachments":
		want := strings.EqualFold(value, "true")
		return text(func(m *store.Message) bool { return m.HasAttachments() == want })
	case "importance":
		want := strings.ToLower(value)
		if want == "medium" {
			want = "normal"
		}
		return text(func(m *store.Message) bool { return m.Importance == want })
	case "kind":
		email := strings.EqualFold(value, "email")
		return text(func(*store.Message) bool { return email })
	case "received", "sent":
		return dateRestriction(prop, op, value)
	}
	return sizeRestriction(op, value)
}

func concat(lists ...[]store.Address) []store.Address {
	var out []store.Address
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// dateRestriction compares received/sent with a day (YYYY-MM-DD or the M/D/YYYY of Graph's
// examples, covering the whole UTC day), a date-time, or a range a..b.
func dateRestriction(prop, op, value string) (searchFn, error) {
	get := func(m *store.Message) time.Time { return m.ReceivedAt }
	if prop == "sent" {
		get = func(m *store.Message) time.Time { return m.SentAt }
	}
	lo, hi, err := kqlTimeRange(value)
	if err != nil {
		return nil, err
	}
	in := func(t time.Time) bool {
		switch op {
		case "<":
			return t.Before(lo)
		case "<=":
			return t.Before(hi)
		case ">":
			return !t.Before(hi)
		case ">=":
			return !t.Before(lo)
		case "<>":
			return t.Before(lo) || !t.Before(hi)
		}
		return !t.Before(lo) && t.Before(hi)
	}
	return func(m *store.Message) bool { return in(get(m)) }, nil
}

// kqlTimeRange returns the half-open interval [lo, hi) a date value stands for.
func kqlTimeRange(value string) (lo, hi time.Time, err error) {
	if a, b, ok := strings.Cut(value, ".."); ok {
		alo, _, err1 := kqlTimeRange(a)
		_, bhi, err2 := kqlTimeRange(b)
		if err1 != nil || err2 != nil {
			return lo, hi, kqlError("invalid date range '" + value + "'")
		}
		return alo, bhi, nil
	}
	for _, layout := range []string{"2006-01-02", "1/2/2006", "01/02/2006"} {
		if d, err := time.Parse(layout, value); err == nil {
			return d, d.AddDate(0, 0, 1), nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05"} {
		if d, err := time.Parse(layout, value); err == nil {
			return d, d.Add(time.Second), nil
		}
	}
	return lo, hi, kqlError("invalid date '" + value + "' (use YYYY-MM-DD, MM/DD/YYYY or YYYY-MM-DDThh:mm:ssZ)")
}

// sizeRestriction compares the message size in bytes with a number or a range a..b.
func sizeRestriction(op, value string) (searchFn, error) {
	a, b, isRange := strings.Cut(value, "..")
	var err2 error
	lo, err1 := strconv.ParseInt(a, 10, 64)
	hi := lo
	if isRange {
		hi, err2 = strconv.ParseInt(b, 10, 64)
	}
	if err1 != nil || err2 != nil {
		return nil, kqlError("invalid size '" + value + "' (use bytes, or a range like 1..500000)")
	}
	return func(m *store.Message) bool {
		n := int64(len(m.Raw))
		switch op {
		case "<":
			return n < lo
		case "<=":
			return n <= hi
		case ">":
			return n > hi
		case ">=":
			return n >= lo
		case "<>":
			return n < lo || n > hi
		}
		return n >= lo && n <= hi
	}, nil
}
