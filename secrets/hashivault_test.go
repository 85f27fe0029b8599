package secrets

import (
	"testing"

	"github.com/mailscript/mailscript/secrets/secretstest"
)

func TestHashiVault(t *testing.T) {
	v := secretstest.NewVault(t)
	v.Namespace = "qa"
	v.Set("mail", map[string]any{"clientSecret": canary, "port": 993})
	v.Set("gone", map[string]any{"clientSecret": "forbidden-value"})
	v.Delete("gone")
	dir := t.TempDir()
	runVaultCases(t, v.Env(), []string{v.Token}, []vaultCase{
		{name: "field", ref: "vault://secret/data/mail#clientSecret", want: canary},
		{name: "number field as JSON text", ref: "vault://secret/data/mail#port", want: "993"},
		{name: "missing field", ref: "vault://secret/data/mail#password", kind: ErrNotFound, msg: []string{`no field "password"`, "clientSecret, port"}},
		{name: "missing secret", ref: "vault://secret/data/nope#x", kind: ErrNotFound, msg: []string{"Vault answered 404", "no secret at secret/data/nope in namespace qa"}},
		{name: "KV v2 path without data/", ref: "vault://secret/mail#x", kind: ErrNotFound, msg: []string{"a KV v2 path has data/ after the mount"}},
		{name: "deleted version", ref: "vault://secret/data/gone#clientSecret", kind: ErrNotFound, msg: []string{"deleted or destroyed"}},
		{name: "denied token", ref: "vault://secret/data/mail#clientSecret", env: map[string]string{"VAULT_TOKEN": "hvs.revoked0000"},
			kind: ErrDenied, msg: []string{"Vault answered 403 permission denied: check VAULT_TOKEN's policy allows read on secret/data/mail in namespace qa"}},
		{name: "wrong namespace", ref: "vault://secret/data/mail#clientSecret", env: map[string]string{"VAULT_NAMESPACE": "other"}, kind: ErrDenied, msg: []string{"namespace other"}},
		{name: "no token", ref: "vault://secret/data/mail#clientSecret", env: map[string]string{"VAULT_TOKEN": "", "HOME": dir}, kind: ErrDenied, msg: []string{"set VAULT_TOKEN", "vault login"}},
		{name: "unreachable", ref: "vault://secret/data/mail#clientSecret", env: map[string]string{"VAULT_ADDR": closedURL(t)}, kind: ErrUnreachable, msg: []string{"cannot reach Vault at 127.0.0.1", "check VAULT_ADDR"}},
		{name: "plain http off loopback", ref: "vault://secret/data/mail#clientSecret", env: map[string]string{"VAULT_ADDR": "http://vault.example.com:8200"}, msg: []string{"VAULT_ADDR", "use https"}},
		{name: "no field", ref: "vault://secret/data/mail", msg: []string{"vault://secret/data/mail#clientSecret (the API path"}},
	})
}

func TestVaultTokenFile(t *testing.T) {
	v := secretstest.NewVault(t)
	v.Set("mail", map[string]any{"clientSecret": canary})
	files := map[string]string{"/home/qa/.vault-token": v.Token + "\n"}
	r := Resolver{
		Getenv:   func(k string) string { return map[string]string{"VAULT_ADDR": v.URL, "HOME": "/home/qa"}[k] },
		ReadFile: func(p string) ([]byte, error) { return []byte(files[p]), nil },
		Redactor: &Redactor{},
	}
	got, err := r.Resolve(t.Context(), "vault://secret/data/mail#clientSecret")
	if err != nil || got.Reveal() != canary {
		t.Fatalf("with ~/.vault-token: %v %v", got, err)
	}
}
