package secretstest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Vault is HashiCorp Vault's HTTP API for one KV v2 mount named "secret": GET
// /v1/secret/data/{path} with X-Vault-Token (and X-Vault-Namespace when Namespace is set).
type Vault struct {
	*httptest.Server
	Token     string
	Namespace string

	mu      sync.Mutex
	secrets map[string]map[string]any // "mail" -> fields
	deleted map[string]bool
	t       testing.TB
}

// NewVault starts the fake; it stops when the test ends.
func NewVault(t testing.TB) *Vault {
	v := &Vault{Token: token("hvs."), secrets: map[string]map[string]any{}, deleted: map[string]bool{}, t: t}
	v.Server = httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.Close)
	return v
}

// Set writes the fields of secret/data/{path}.
func (v *Vault) Set(path string, fields map[string]any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.secrets[path] = fields
	delete(v.deleted, path)
}

// Delete soft-deletes the current version of path, as `vault kv delete` does.
func (v *Vault) Delete(path string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.deleted[path] = true
}

// Env is the Vault CLI configuration that reaches this fake.
func (v *Vault) Env() map[string]string {
	env := map[string]string{"VAULT_ADDR": v.URL, "VAULT_TOKEN": v.Token}
	if v.Namespace != "" {
		env["VAULT_NAMESPACE"] = v.Namespace
	}
	return env
}

func (v *Vault) serve(w http.ResponseWriter, r *http.Request) {
	errs := func(status int, msgs ...string) {
		writeJSON(w, status, map[string]any{"errors": append([]string{}, msgs...)})
	}
	if r.Method != http.MethodGet {
		fatalf(v.t, w, "Vault: %s %s, want GET", r.Method, r.URL.Path)
		return
	}
	if r.Header.Get("X-Vault-Token") != v.Token || r.Header.Get("X-Vault-Namespace") != v.Namespace {
		errs(http.StatusForbidden, "1 error occurred:\n\t* permission denied\n\n")
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/v1/secret/data/")
	if !ok {
		errs(http.StatusNotFound)
		return
	}
	v.mu.Lock()
	fields, found := v.secrets[path]
	deleted := v.deleted[path]
	v.mu.Unlock()
	meta := map[string]any{"created_time": "2025-01-01T00:00:00Z", "custom_metadata": nil, "deletion_time": "", "destroyed": false, "version": 1}
	switch {
	case !found:
		errs(http.StatusNotFound)
	case deleted:
		meta["deletion_time"] = "2025-01-02T00:00:00Z"
		writeJSON(w, http.StatusNotFound, map[string]any{"data": map[string]any{"data": nil, "metadata": meta}})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"request_id": "8d2f1c3e", "lease_id": "", "renewable": false, "lease_duration": 0,
			"data": map[string]any{"data": fields, "metadata": meta}, "wrap_info": nil, "warnings": nil, "auth": nil, "mount_type": "kv"})
	}
}
