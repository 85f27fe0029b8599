package secrets

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseProfiles(t *testing.T) {
	good := `{"$schema": "./mailscript.schema.json", "connections": {
	  "qa-m365": {"provider": "microsoft365", "tenantId": "t", "clientSecret": "env:CS", "mailbox": "qa@contoso.com"},
	  "qa-google": {"provider": "google", "credentialsFile": "key.json", "user": "qa@example.com"}}}`
	p, err := ParseProfiles("mailscript.json", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Names(), ","); got != "qa-google,qa-m365" {
		t.Fatalf("Names = %s", got)
	}
	provider, opts, ok := p.Lookup("qa-m365")
	if !ok || provider != "microsoft365" || opts["clientSecret"] != "env:CS" || opts["provider"] != nil {
		t.Fatalf("Lookup = %s %v %v", provider, opts, ok)
	}
	if _, _, ok := p.Lookup("nope"); ok {
		t.Fatal("Lookup of a missing name succeeded")
	}
	bad := map[string]string{
		`{"connection": {}}`:         `unknown key "connection"`,
		`{"connections": []}`:        `"connections" must be an object`,
		`{"connections": {"a": {}}}`: `connections.a.provider is required`,
		`{"connections": {"a": {"provider": "google", "usr": "x"}}}`:         "connections.a.usr is not an option of google: use credentials, credentialsFile, gmailUrl, scopes, user",
		`{"connections": {"a": {"provider": "google", "scopes": "x"}}}`:      "connections.a.scopes must be a JSON array, got a string",
		`{"connections": {"a": {"provider": "microsoft365", "mailbox": 3}}}`: "connections.a.mailbox must be a JSON string, got a number",
		`{"connections": {"a": {"provider": 1}}}`:                            `connections.a.provider is required`,
		`{"connections": {"a": null}}`:                                       "connections.a must be an object",
		`{`:                                                                  "not valid JSON",
	}
	for in, want := range bad {
		if _, err := ParseProfiles("f.json", []byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseProfiles(%s) = %v, want %q", in, err, want)
		}
	}
}

func TestLoadProfilesOptional(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "mailscript.json")
	if p, err := LoadProfiles(missing, true); err != nil || len(p.Connections) != 0 {
		t.Fatalf("optional missing file: %v %v", p, err)
	}
	if _, err := LoadProfiles(missing, false); err == nil {
		t.Fatal("a named missing file must be an error")
	}
	if err := os.WriteFile(missing, []byte(`{"connections": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadProfiles(missing, false); err != nil {
		t.Fatal(err)
	}
}

func TestIsRef(t *testing.T) {
	for s, want := range map[string]bool{"env:X": true, "vault://a#b": true, "file:/k": true, "plain": false, "https://x": false} {
		if IsRef(s) != want {
			t.Errorf("IsRef(%q) = %v", s, !want)
		}
	}
}

// TestSchemaMatchesConnectionKeys keeps mailscript.schema.json (for editors) and the keys the
// loader accepts in step.
func TestSchemaMatchesConnectionKeys(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "mailscript.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Type  string `json:"type"`
				Const string `json:"const"`
				Enum  []any  `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	for provider, keys := range connectionKeys {
		def, ok := schema.Defs[provider]
		if !ok {
			t.Errorf("schema has no definition for %s", provider)
			continue
		}
		for k, prop := range def.Properties {
			if k == "provider" {
				continue
			}
			typ := prop.Type
			if typ == "" && prop.Enum != nil {
				typ = "string"
			}
			if keys[k] != typ {
				t.Errorf("%s.%s: schema says %q, loader %q", provider, k, typ, keys[k])
			}
		}
		if len(def.Properties)-1 != len(keys) {
			t.Errorf("%s: schema has %d options, loader %d", provider, len(def.Properties)-1, len(keys))
		}
	}
}
