package secrets

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// jsonField picks field from a secret stored as a JSON object (AWS key/value pairs, a Vault KV
// entry): a string's value, anything else as its JSON text. An absent field is ErrNotFound with
// the names there are; missing begins that message ("the secret at kv/mail has no field").
func (r Resolver) jsonField(ref string, fields map[string]json.RawMessage, field, missing string) (string, error) {
	raw, ok := fields[field]
	if !ok {
		return "", r.fail(ref, ErrNotFound, nil, "%s %q (it has: %s)", missing, field, keyList(fields))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return string(raw), nil // a number or object: its JSON text
	}
	return s, nil
}

// keyList is m's keys, sorted and comma-separated, for an error that says what there is.
func keyList[V any](m map[string]V) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}
