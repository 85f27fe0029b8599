package graph

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// property returns a getter for a filterable message property (or a lambda variable's path)
// and notes the property for the $orderby rule.
func (p *filterParser) property(path string) (func(env) any, *apiError) {
	head, rest, _ := strings.Cut(path, "/")
	for _, v := range p.vars {
		if head == v {
			return func(e env) any {
				if a, ok := e.varValue.(store.Address); ok {
					return addressPart(a, rest)
				}
				return e.varValue
			}, nil
		}
	}
	get := p.getter(path)
	if get == nil {
		return nil, p.unknown(path)
	}
	p.note(path)
	return get, nil
}

func addressPart(a store.Address, path string) any {
	switch path {
	case "emailAddress/address":
		return a.Address
	case "emailAddress/name":
		return nameOr(a)
	}
	return nil
}

// messageGetter returns the accessor of a filterable or sortable property, nil if unknown.
func messageGetter(path string) func(env) any {
	switch path {
	case "subject":
		return func(e env) any { return e.m.Subject }
	case "bodyPreview":
		return func(e env) any { return e.m.Preview }
	case "importance":
		return func(e env) any { return e.m.Importance }
	case "isRead":
		return func(e env) any { return e.m.IsRead }
	case "isDraft":
		return func(e env) any { return e.m.FolderID == e.draftsID }
	case "hasAttachments":
		return func(e env) any { return e.m.HasAttachments() }
	case "receivedDateTime":
		return func(e env) any { return e.m.ReceivedAt.Truncate(time.Second) }
	case "sentDateTime":
		return func(e env) any { return e.m.SentAt }
	case "createdDateTime":
		return func(e env) any { return e.m.CreatedAt.Truncate(time.Second) }
	case "lastModifiedDateTime":
		return func(e env) any { return e.m.ModifiedAt.Truncate(time.Second) }
	case "parentFolderId":
		return func(e env) any { return e.m.FolderID }
	case "conversationId":
		return func(e env) any { return e.m.ThreadID }
	case "internetMessageId":
		return func(e env) any { return e.m.MessageID }
	case "id":
		return func(e env) any { return e.m.ID }
	case "inferenceClassification":
		return func(e env) any { return "focused" }
	case "flag/flagStatus":
		return func(e env) any {
			if e.m.Flagged {
				return "flagged"
			}
			return "notFlagged"
		}
	case "from/emailAddress/address", "from/emailAddress/name", "sender/emailAddress/address", "sender/emailAddress/name":
		who, part, _ := strings.Cut(path, "/")
		return func(e env) any {
			a := e.m.From
			if who == "sender" {
				a = e.m.Sender
			}
			return addressPart(a, part)
		}
	}
	return nil
}

// literal converts a $filter literal: string, boolean, null, date-time or integer.
func literal(t token) (any, error) {
	if t.kind == "string" {
		return t.text, nil
	}
	switch strings.ToLower(t.text) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if d, err := time.Parse(layout, t.text); err == nil {
			return d, nil
		}
	}
	if n, err := strconv.Atoi(t.text); err == nil {
		return n, nil
	}
	return nil, fmt.Errorf("unrecognized literal '%s'", t.text)
}

func compare(got, want any, op string) bool {
	c, ok := 0, true
	switch w := want.(type) {
	case nil:
		c, ok = map[bool]int{true: 0, false: 1}[got == nil || got == ""], true
	case string:
		g, isStr := got.(string)
		if !isStr {
			return op == "ne"
		}
		c = strings.Compare(strings.ToLower(g), strings.ToLower(w))
	case bool:
		g, isBool := got.(bool)
		if !isBool {
			return op == "ne"
		}
		c = map[bool]int{true: 0, false: 1}[g == w]
		ok = op == "eq" || op == "ne"
	case time.Time:
		g, isTime := got.(time.Time)
		if !isTime {
			return false
		}
		c = g.Compare(w)
	case int:
		g, isInt := got.(int)
		if !isInt {
			return false
		}
		c = cmp.Compare(g, w)
	}
	if !ok {
		return false
	}
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	}
	return c <= 0
}
