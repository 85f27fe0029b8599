package secrets

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// defaultVaultAddr is where the Vault CLI looks when VAULT_ADDR is unset.
const defaultVaultAddr = "https://127.0.0.1:8200"

// hashiVault reads vault://PATH#FIELD from HashiCorp Vault or OpenBao over the HTTP API, with
// the settings the Vault CLI reads: VAULT_ADDR, VAULT_TOKEN (or ~/.vault-token), VAULT_NAMESPACE.
// PATH is the API path after /v1/, for KV v2 with the mount's data/ segment
// (secret/data/mail); a KV v1 path (kv/mail) works too.
func (r Resolver) hashiVault(ctx context.Context, ref string) (string, error) {
	p, field, _ := strings.Cut(strings.TrimPrefix(ref, "vault://"), "#")
	p = strings.Trim(p, "/")
	if p == "" || field == "" {
		return "", r.fail(ref, nil, nil, "a Vault reference looks like vault://secret/data/mail#clientSecret (the API path, then # and the field)")
	}
	addr := r.getenv("VAULT_ADDR")
	if addr == "" {
		addr = defaultVaultAddr
	}
	base, err := endpoint(addr, "VAULT_ADDR", false)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	token, err := r.vaultToken()
	if err != nil {
		return "", r.fail(ref, ErrDenied, nil, "%v", err)
	}
	r.Redactor.Add(token)

	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.TrimRight(base.String(), "/") + "/v1/" + strings.Join(segs, "/")
	h := http.Header{"X-Vault-Token": {token}, "X-Vault-Request": {"true"}}
	ns := r.getenv("VAULT_NAMESPACE")
	if ns != "" {
		h.Set("X-Vault-Namespace", ns)
	}
	status, body, err := r.get(ctx, u, h)
	if err != nil {
		return "", r.sendError(ref, err, "Vault at "+base.Host, "check VAULT_ADDR and that the server is up and unsealed")
	}
	var resp struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []string                   `json:"errors"`
	}
	jsonErr := json.Unmarshal(body, &resp)
	if status != http.StatusOK {
		return "", r.vaultError(ref, p, ns, status, resp.Errors, resp.Data)
	}
	if jsonErr != nil || resp.Data == nil {
		return "", r.fail(ref, nil, jsonErr, "Vault at %s answered 200 without a JSON \"data\" object: check that VAULT_ADDR is the Vault API, not a proxy page", base.Host)
	}
	fields := resp.Data
	if inner, ok := kvV2(resp.Data); ok {
		fields = inner
	}
	return r.jsonField(ref, fields, field, "the secret at "+p+" has no field")
}

// kvV2 returns the fields of a KV v2 answer, {"data": {...}, "metadata": {...}}; a KV v1
// answer holds the fields directly.
func kvV2(data map[string]json.RawMessage) (map[string]json.RawMessage, bool) {
	if _, ok := data["metadata"]; !ok {
		return nil, false
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(data["data"], &inner); err != nil {
		return nil, false
	}
	return inner, true
}

// vaultToken is VAULT_TOKEN, or the token `vault login` saved in ~/.vault-token.
func (r Resolver) vaultToken() (string, error) {
	if t := r.getenv("VAULT_TOKEN"); t != "" {
		return t, nil
	}
	if home := r.getenv("HOME"); home != "" {
		if b, err := r.readFile(path.Join(home, ".vault-token")); err == nil {
			if t := strings.TrimSpace(string(b)); t != "" {
				return t, nil
			}
		}
	}
	return "", fmt.Errorf("no Vault token: set VAULT_TOKEN (or run `vault login`, which saves ~/.vault-token)")
}

// vaultError explains Vault's refusals: {"errors": ["permission denied"]} with 403, an empty
// errors list with 404, or a KV v2 404 whose metadata says the latest version was deleted.
func (r Resolver) vaultError(ref, p, ns string, status int, errs []string, data map[string]json.RawMessage) error {
	var msgs []string
	for _, e := range errs {
		// Vault wraps errors as "1 error occurred:\n\t* permission denied\n\n": keep the items.
		items := 0
		for line := range strings.SplitSeq(e, "\n") {
			if item, ok := strings.CutPrefix(strings.TrimSpace(line), "* "); ok {
				msgs, items = append(msgs, clause(item)), items+1
			}
		}
		if items == 0 {
			msgs = append(msgs, clause(e))
		}
	}
	said := strings.Join(msgs, "; ")
	if said == "" {
		said = http.StatusText(status)
	}
	where := p
	if ns != "" {
		where = p + " in namespace " + ns
	}
	switch status {
	case http.StatusForbidden:
		return r.fail(ref, ErrDenied, nil, "Vault answered %d %s: check VAULT_TOKEN's policy allows read on %s (and that the token has not expired)", status, said, where)
	case http.StatusNotFound:
		if _, ok := data["metadata"]; ok {
			return r.fail(ref, ErrNotFound, nil, "Vault answered 404: the current version of %s is deleted or destroyed: restore it with `vault kv undelete` or write a new version", where)
		}
		return r.fail(ref, ErrNotFound, nil, "Vault answered 404: no secret at %s: check the path (a KV v2 path has data/ after the mount, like secret/data/mail)", where)
	case http.StatusServiceUnavailable:
		return r.fail(ref, ErrUnreachable, nil, "Vault answered %d %s: check that it is unsealed and active", status, said)
	}
	return r.fail(ref, nil, nil, "Vault answered %d %s reading %s", status, said, where)
}
