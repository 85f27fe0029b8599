package secrets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
)

// ProfileFile is the default name of the connection profiles file in the working folder.
const ProfileFile = "mailscript.json"

// Profiles are named connections from mailscript.json: a script says mail.connect('qa-m365')
// and carries no credentials.
type Profiles struct {
	Path        string
	Connections map[string]map[string]any
}

// LoadProfiles reads path. A missing file is not an error when optional is true (the default
// mailscript.json); it is when the user named the file (--config, MAILSCRIPT_CONFIG).
func LoadProfiles(path string, optional bool) (*Profiles, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && optional {
		return &Profiles{Path: path, Connections: map[string]map[string]any{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("connection profiles: %w", err)
	}
	return ParseProfiles(path, b)
}

// ParseProfiles parses the profiles file's content; errors name the file and the key.
func ParseProfiles(path string, b []byte) (*Profiles, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %v", path, err)
	}
	p := &Profiles{Path: path, Connections: map[string]map[string]any{}}
	for key, raw := range top {
		switch key {
		case "$schema":
		case "connections":
			dec := json.NewDecoder(bytes.NewReader(raw))
			if err := dec.Decode(&p.Connections); err != nil {
				return nil, fmt.Errorf("%s: \"connections\" must be an object of named connections, each an object of options: %v", path, err)
			}
		default:
			return nil, fmt.Errorf("%s: unknown key %q: the file holds \"connections\" (and optionally \"$schema\")", path, key)
		}
	}
	for name, conn := range p.Connections {
		if conn == nil {
			return nil, fmt.Errorf("%s: connections.%s must be an object of options", path, name)
		}
		if err := checkConnection(conn); err != nil {
			return nil, fmt.Errorf("%s: connections.%s%s", path, name, err)
		}
	}
	return p, nil
}

// connectionKeys are the options a profile may hold per provider, with their JSON types;
// mailscript.schema.json says the same for editors (a test keeps the two in step).
var connectionKeys = map[string]map[string]string{
	"microsoft365": {"tenantId": "string", "clientId": "string", "clientSecret": "string", "certificate": "object",
		"mailbox": "string", "cloud": "string", "loginUrl": "string", "graphUrl": "string"},
	"google": {"credentials": "string", "credentialsFile": "string", "user": "string", "scopes": "array", "gmailUrl": "string"},
}

// checkConnection finds the first unknown key or wrongly typed value of one connection, so
// that a typo in mailscript.json is reported when the file loads, naming the key.
func checkConnection(conn map[string]any) error {
	provider, _ := conn["provider"].(string)
	if provider == "" {
		return fmt.Errorf(".provider is required: \"microsoft365\" or \"google\"")
	}
	keys, ok := connectionKeys[provider]
	if !ok {
		return nil // another provider's options: mail.connect checks them, and names the provider if unknown
	}
	names := make([]string, 0, len(conn))
	for k := range conn {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k == "provider" {
			continue
		}
		want, ok := keys[k]
		if !ok {
			valid := make([]string, 0, len(keys))
			for v := range keys {
				valid = append(valid, v)
			}
			sort.Strings(valid)
			return fmt.Errorf(".%s is not an option of %s: use %s", k, provider, strings.Join(valid, ", "))
		}
		if got := jsonType(conn[k]); got != want {
			return fmt.Errorf(".%s must be a JSON %s, got a %s", k, want, got)
		}
	}
	return nil
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// Lookup returns the provider and options of a named connection.
func (p *Profiles) Lookup(name string) (provider string, opts map[string]any, ok bool) {
	conn, ok := p.Connections[name]
	if !ok {
		return "", nil, false
	}
	opts = make(map[string]any, len(conn))
	for k, v := range conn {
		if k != "provider" {
			opts[k] = v
		}
	}
	return conn["provider"].(string), opts, true
}

// Names lists the connection names, sorted.
func (p *Profiles) Names() []string {
	names := make([]string, 0, len(p.Connections))
	for n := range p.Connections {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// schemes are the reference prefixes a profile value may use instead of a literal.
var schemes = []string{"env:", "file:", "vault://", "azurekv://", "gcpsm://", "awssm://", "cyberark://"}

// IsRef reports whether s is a secret reference rather than a literal value.
func IsRef(s string) bool {
	for _, p := range schemes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
