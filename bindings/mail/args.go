package mail

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/providers"
)

// argError is a bad argument; the binding throws it as a TypeError.
type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }

// asArg marks a validation error from a shared helper as a bad argument.
func asArg(err error) error {
	if err == nil {
		return nil
	}
	return &argError{err.Error()}
}

func argErrorf(format string, args ...any) error { return &argError{fmt.Sprintf(format, args...)} }

func isAbsent(v goja.Value) bool { return v == nil || goja.IsUndefined(v) || goja.IsNull(v) }

// get reads a property; goja's Object.Get returns nil (not undefined) for a missing one, which
// every caller would otherwise have to check before calling a method on it.
func get(obj *goja.Object, key string) goja.Value {
	if v := obj.Get(key); v != nil {
		return v
	}
	return goja.Undefined()
}

// object returns v as an object whose keys are all in allowed, or an error naming the
// argument and the first unknown key.
func object(rt *goja.Runtime, v goja.Value, name string, allowed ...string) (*goja.Object, error) {
	if isAbsent(v) {
		return nil, nil
	}
	obj, ok := v.(*goja.Object)
	if !ok || obj.ClassName() != "Object" {
		return nil, argErrorf("%s must be an object like { %s: ... }, got %s", name, allowed[0], describe(v))
	}
	for _, k := range obj.Keys() {
		if !slices.Contains(allowed, k) {
			return nil, argErrorf("%s.%s is not a known field: use one of %s", name, k, strings.Join(allowed, ", "))
		}
	}
	return obj, nil
}

func describe(v goja.Value) string {
	if isAbsent(v) {
		return v.String()
	}
	if obj, ok := v.(*goja.Object); ok {
		return "a " + obj.ClassName()
	}
	switch x := v.Export().(type) {
	case string:
		if len(x) > 60 {
			x = x[:57] + "..."
		}
		return "the string " + strconv.Quote(x)
	case int64, float64:
		return "the number " + v.String()
	}
	return v.String() // true, false, a symbol, a bigint
}

func stringField(obj *goja.Object, name, field string) (string, error) {
	v := obj.Get(field)
	if isAbsent(v) {
		return "", nil
	}
	s, ok := v.Export().(string)
	if !ok {
		return "", argErrorf("%s.%s must be a string, got %s", name, field, describe(v))
	}
	return s, nil
}

func boolField(obj *goja.Object, name, field string) (*bool, error) {
	v := obj.Get(field)
	if isAbsent(v) {
		return nil, nil
	}
	b, ok := v.Export().(bool)
	if !ok {
		return nil, argErrorf("%s.%s must be true or false, got %s", name, field, describe(v))
	}
	return &b, nil
}

// matcher reads a string (case-insensitive contains) or a RegExp, translated to Go's RE2.
func matcher(obj *goja.Object, name, field string) (providers.Matcher, error) {
	v := obj.Get(field)
	if isAbsent(v) {
		return providers.Matcher{}, nil
	}
	if s, ok := v.Export().(string); ok {
		return providers.Matcher{Contains: s}, nil
	}
	re, ok := v.(*goja.Object)
	if !ok || re.ClassName() != "RegExp" {
		return providers.Matcher{}, argErrorf("%s.%s must be a string or a RegExp, got %s", name, field, describe(v))
	}
	source, flags := get(re, "source").String(), get(re, "flags").String()
	prefix := ""
	for _, f := range []string{"i", "m", "s"} {
		if strings.Contains(flags, f) {
			prefix += f
		}
	}
	if prefix != "" {
		prefix = "(?" + prefix + ")"
	}
	compiled, err := regexp.Compile(prefix + source)
	if err != nil {
		return providers.Matcher{}, argErrorf("%s.%s: /%s/%s uses syntax that mailscript's matcher (Go RE2) lacks, such as lookaround or backreferences: simplify the pattern (%v)", name, field, source, flags, err)
	}
	return providers.Matcher{Regexp: compiled}, nil
}

// timeField reads a Date, an ISO 8601 string or a number of milliseconds since the epoch.
func timeField(obj *goja.Object, name, field string) (time.Time, error) {
	v := obj.Get(field)
	if isAbsent(v) {
		return time.Time{}, nil
	}
	switch x := v.Export().(type) {
	case time.Time:
		return x, nil
	case int64:
		return time.UnixMilli(x), nil
	case float64:
		return time.UnixMilli(int64(x)), nil
	case string:
		if t, ok := parseISODate(x); ok {
			return t, nil
		}
		return time.Time{}, argErrorf("%s.%s: %q is not a date: pass a Date, epoch milliseconds or an ISO 8601 string like 2026-01-02 or 2026-01-02T15:04:05Z", name, field, x)
	}
	return time.Time{}, argErrorf("%s.%s must be a Date, an ISO 8601 string or epoch milliseconds, got %s", name, field, describe(v))
}

// parseISODate reads the ISO 8601 forms that JavaScript's Date reads, with its meaning: a date
// alone is midnight UTC, a date and time with no offset is local time.
func parseISODate(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var criteriaFields = []string{"folder", "from", "to", "subject", "body", "unread", "hasAttachments", "since", "before", "limit", "query"}

// criteria converts list/waitFor criteria.
func criteria(rt *goja.Runtime, v goja.Value, name string) (providers.Criteria, error) {
	var c providers.Criteria
	obj, err := object(rt, v, name, criteriaFields...)
	if err != nil || obj == nil {
		return c, err
	}
	if c.Folder, err = stringField(obj, name, "folder"); err != nil {
		return c, err
	}
	if c.Query, err = stringField(obj, name, "query"); err != nil {
		return c, err
	}
	for field, dst := range map[string]*providers.Matcher{"from": &c.From, "to": &c.To, "subject": &c.Subject, "body": &c.Body} {
		if *dst, err = matcher(obj, name, field); err != nil {
			return c, err
		}
	}
	if c.Unread, err = boolField(obj, name, "unread"); err != nil {
		return c, err
	}
	if c.HasAttachments, err = boolField(obj, name, "hasAttachments"); err != nil {
		return c, err
	}
	if c.Since, err = timeField(obj, name, "since"); err != nil {
		return c, err
	}
	if c.Before, err = timeField(obj, name, "before"); err != nil {
		return c, err
	}
	if lv := obj.Get("limit"); !isAbsent(lv) {
		n, ok := lv.Export().(int64)
		if !ok || n < 1 || n > 100000 {
			return c, argErrorf("%s.limit must be a whole number from 1 to 100000, got %s", name, describe(lv))
		}
		c.Limit = int(n)
	}
	return c, nil
}

// messageID reads a message id or an object with an id (a summary or a message).
func messageID(v goja.Value, name string) (string, error) {
	if s, ok := v.Export().(string); ok && s != "" {
		return s, nil
	}
	if obj, ok := v.(*goja.Object); ok {
		if id, ok := get(obj, "id").Export().(string); ok && id != "" {
			return id, nil
		}
		return "", argErrorf("%s.id must be a message id string: pass a message from list/read/waitFor or its id, got an object whose id is %s", name, describe(get(obj, "id")))
	}
	return "", argErrorf("%s must be a message id or a message from list/read/waitFor, got %s", name, describe(v))
}
