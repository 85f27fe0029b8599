package secrets

import (
	"encoding/json"
	"strings"
)

// CredentialEnv are the environment variables that hold a credential, given to mailscript
// directly rather than as a secret() reference: the providers' fallbacks (what `emulator
// --env-file` writes and CI sets) and the key vaults' own credentials. Their values are masked
// like resolved secrets, however they were set (process environment, --env-file, --emulator).
var CredentialEnv = []string{
	"MAILSCRIPT_M365_CLIENT_SECRET", "MAILSCRIPT_M365_CERTIFICATE_PASSWORD", "MAILSCRIPT_GOOGLE_CREDENTIALS",
	"VAULT_TOKEN", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "IDENTITY_HEADER",
	"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
}

// sensitiveWords mark other variables as credentials by name (GITHUB_TOKEN, DB_PASSWORD,
// STRIPE_API_KEY...); sensitiveNot are suffixes of names that only point at one (a path, a URL,
// an id).
var (
	sensitiveWords = []string{"SECRET", "TOKEN", "PASSWORD", "PASSWD", "PRIVATE_KEY", "API_KEY", "CREDENTIALS"}
	sensitiveNot   = []string{"_FILE", "_PATH", "_URL", "_ID", "_DIR"}
)

// IsCredentialEnv reports whether the variable name holds a credential.
func IsCredentialEnv(name string) bool {
	name = strings.ToUpper(name)
	for _, n := range CredentialEnv {
		if name == n {
			return true
		}
	}
	for _, s := range sensitiveNot {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	for _, w := range sensitiveWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// AddEnv registers the values of the credential variables in vars.
func (r *Redactor) AddEnv(vars map[string]string) {
	for k, v := range vars {
		if IsCredentialEnv(k) {
			r.AddCredential(v)
		}
	}
}

// AddCredential registers a credential given as text. A JSON key (a Google service account
// key, an OAuth client) is registered whole and by its secret fields, which a script may
// print after JSON.parse.
func (r *Redactor) AddCredential(v string) {
	r.Add(v)
	var fields map[string]any
	if json.Unmarshal([]byte(v), &fields) != nil {
		return
	}
	for _, k := range []string{"private_key", "private_key_id", "client_secret", "refresh_token"} {
		if s, ok := fields[k].(string); ok {
			r.Add(s) // a PEM key: Add registers each of its lines too
		}
	}
}
