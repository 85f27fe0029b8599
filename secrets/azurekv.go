package secrets

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// defaultKVURL is the public cloud's vault URL; {vault} stands for the vault's name.
// MAILSCRIPT_AZUREKV_URL replaces it for sovereign clouds (https://{vault}.vault.azure.cn,
// https://{vault}.vault.usgovcloudapi.net) and for tests.
const (
	defaultKVURL    = "https://{vault}.vault.azure.net"
	defaultResource = "https://vault.azure.net"
	kvAPIVersion    = "7.4"
)

// The name rules compile on first use: counted repetitions make large programs, and every run
// would pay for them at start-up (190 KB) though few use Key Vault.
var (
	kvVaultName  = lazyRegexp(`^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$`)
	kvSecretName = lazyRegexp(`^[a-zA-Z0-9-]{1,127}$`)
	kvVersion    = lazyRegexp(`^[a-zA-Z0-9]{1,64}$`)
)

func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// azureKV reads azurekv://VAULT/NAME[/VERSION] through Key Vault's REST API with a token for
// the vault's resource (see azureToken).
func (r Resolver) azureKV(ctx context.Context, ref string) (string, error) {
	parts := strings.Split(strings.TrimPrefix(ref, "azurekv://"), "/")
	if len(parts) == 3 && parts[2] == "" {
		parts = parts[:2]
	}
	if len(parts) < 2 || len(parts) > 3 || !kvVaultName().MatchString(parts[0]) || !kvSecretName().MatchString(parts[1]) ||
		len(parts) == 3 && !kvVersion().MatchString(parts[2]) {
		return "", r.fail(ref, nil, nil, "an Azure Key Vault reference looks like azurekv://VAULT/NAME or azurekv://VAULT/NAME/VERSION "+
			"(vault: 3-24 letters, digits and dashes; name: letters, digits and dashes)")
	}
	vault, name := parts[0], parts[1]
	tmpl := r.getenv("MAILSCRIPT_AZUREKV_URL")
	if tmpl == "" {
		tmpl = defaultKVURL
	}
	base, err := endpoint(strings.ReplaceAll(tmpl, "{vault}", vault), "MAILSCRIPT_AZUREKV_URL", false)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	token, err := r.azureToken(ctx, ref, kvResource(tmpl))
	if err != nil {
		return "", err
	}
	u := strings.TrimRight(base.String(), "/") + "/secrets/" + strings.Join(parts[1:], "/") + "?api-version=" + kvAPIVersion
	status, body, err := r.get(ctx, u, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		return "", r.sendError(ref, err, "Azure Key Vault "+vault+" at "+base.Host, "check the vault name and MAILSCRIPT_AZUREKV_URL")
	}
	var resp struct {
		Value *string `json:"value"`
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError *struct {
				Code string `json:"code"`
			} `json:"innererror"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &resp)
	if status == http.StatusOK && resp.Value != nil {
		return *resp.Value, nil
	}
	code := resp.Error.Code
	if resp.Error.InnerError != nil && resp.Error.InnerError.Code != "" {
		code += "/" + resp.Error.InnerError.Code
	}
	if code == "" {
		code = "no error code"
	}
	said := statusText(status) + " " + code
	if resp.Error.Message != "" {
		said += ": " + clause(resp.Error.Message)
	}
	switch {
	case status == http.StatusNotFound:
		return "", r.fail(ref, ErrNotFound, nil, "Azure Key Vault %s answered %s: check the secret name %s%s", vault, said, name, versionHint(parts))
	case status == http.StatusUnauthorized:
		return "", r.fail(ref, ErrDenied, nil, "Azure Key Vault %s refused the token (%s): check that AZURE_TENANT_ID is the vault's tenant", vault, said)
	case status == http.StatusForbidden:
		return "", r.fail(ref, ErrDenied, nil, "Azure Key Vault %s answered %s: grant the identity the Key Vault Secrets User role "+
			"(or a get-secret access policy) on the vault, and check its firewall allows this network", vault, said)
	}
	return "", r.fail(ref, nil, nil, "Azure Key Vault %s answered %s", vault, said)
}

func versionHint(parts []string) string {
	if len(parts) == 3 {
		return " and the version " + parts[2]
	}
	return ""
}

// kvResource is the token audience for the vault URL template: https://vault.azure.cn for
// https://{vault}.vault.azure.cn, the public cloud's otherwise (a loopback test vault included).
func kvResource(tmpl string) string {
	u, err := url.Parse(strings.ReplaceAll(tmpl, "{vault}", "v"))
	if err != nil || !strings.HasPrefix(tmpl, "https://{vault}.") {
		return defaultResource
	}
	return "https://" + strings.TrimPrefix(u.Hostname(), "v.")
}
