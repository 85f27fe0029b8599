package providers

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// OptionError is a bad connect option: scripts see it as a TypeError naming the field.
type OptionError struct {
	Field   string
	Problem string
}

func (e *OptionError) Error() string { return fmt.Sprintf("option %q: %s", e.Field, e.Problem) }

// Options are the connect options a script passed, as plain Go values (strings, numbers,
// booleans, maps, slices), plus values of types a provider understands (such as secrets).
type Options map[string]any

// Check reports an *OptionError for the first key not in allowed, so that a typo never
// goes silently ignored.
func (o Options) Check(allowed ...string) error {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			sorted := append([]string(nil), allowed...)
			sort.Strings(sorted)
			return &OptionError{Field: k, Problem: "unknown option; valid options are " + strings.Join(sorted, ", ")}
		}
	}
	return nil
}

// String returns the string option key, falling back to the environment variable envKey
// (when not empty). A value of another type is an *OptionError. A value that implements
// Revealer (a secret) is revealed.
func (o Options) String(key string, env Env, envKey string) (string, error) {
	v, ok := o[key]
	if !ok || v == nil {
		if envKey != "" && env != nil {
			return env(envKey), nil
		}
		return "", nil
	}
	switch s := v.(type) {
	case string:
		return s, nil
	case Revealer:
		return s.Reveal(), nil
	}
	return "", &OptionError{Field: key, Problem: "must be a string, got " + jsKind(v)}
}

// jsKind names the kind of an option's value as the script wrote it (goja exports numbers as
// int64 or float64, arrays as []any, objects as maps), not by its Go type.
func jsKind(v any) string {
	switch v.(type) {
	case int64, float64, int:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// Revealer is a value that stands for a secret string (see package secrets) and only gives it
// up on request.
type Revealer interface {
	Reveal() string
}
