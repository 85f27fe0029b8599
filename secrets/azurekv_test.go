package secrets

import (
	"testing"

	"github.com/mailscript/mailscript/secrets/secretstest"
)

func TestAzureKeyVault(t *testing.T) {
	a := secretstest.NewAzure(t)
	a.Set("mail-client-secret", "0123abcd", canary)
	a.Set("mail-client-secret", "4567ef01", "second-version-value")
	a.Set("locked", "1", "forbidden-value")
	a.Forbid("locked")
	creds := []string{a.Token, a.ClientSecret}
	appService := map[string]string{"AZURE_TENANT_ID": "", "AZURE_CLIENT_SECRET": "", "AZURE_CLIENT_ID": "",
		"IDENTITY_ENDPOINT": a.URL + "/msi/token", "IDENTITY_HEADER": a.IdentityHeader}
	imds := map[string]string{"AZURE_TENANT_ID": "", "AZURE_CLIENT_SECRET": "", "AZURE_CLIENT_ID": "", "AZURE_POD_IDENTITY_AUTHORITY_HOST": a.URL}
	runVaultCases(t, a.Env(), creds, []vaultCase{
		{name: "latest", ref: "azurekv://qa-vault/mail-client-secret", want: "second-version-value"},
		{name: "version", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", want: canary},
		{name: "App Service managed identity", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", env: appService, want: canary, creds: []string{a.Token, a.IdentityHeader}},
		{name: "VM managed identity (IMDS)", ref: "azurekv://qa-vault/mail-client-secret/0123abcd", env: imds, want: canary, creds: []string{a.Token}},
		{name: "missing secret", ref: "azurekv://qa-vault/nope", kind: ErrNotFound,
			msg: []string{"Azure Key Vault qa-vault answered 404 Not Found SecretNotFound", "check the secret name nope"}},
		{name: "missing version", ref: "azurekv://qa-vault/mail-client-secret/ffff", kind: ErrNotFound, msg: []string{"and the version ffff"}},
		{name: "no role on the vault", ref: "azurekv://qa-vault/locked", kind: ErrDenied,
			msg: []string{"403 Forbidden Forbidden/ForbiddenByRbac: Caller is not authorized", "Key Vault Secrets User"}},
		{name: "wrong client secret", ref: "azurekv://qa-vault/locked", env: map[string]string{"AZURE_CLIENT_SECRET": "cs~rotated-away"}, kind: ErrDenied,
			msg: []string{"AADSTS7000215: Invalid client secret provided", "check AZURE_CLIENT_SECRET"}},
		{name: "wrong tenant", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_TENANT_ID": "contoso"}, kind: ErrDenied, msg: []string{"AADSTS90002", "check AZURE_TENANT_ID"}},
		{name: "wrong managed identity header", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_TENANT_ID": "", "IDENTITY_ENDPOINT": a.URL + "/msi/token", "IDENTITY_HEADER": "wrong-header"},
			kind: ErrDenied, msg: []string{"managed identity endpoint refused a token", "X-IDENTITY-HEADER"}},
		{name: "no credential at all", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_TENANT_ID": "", "AZURE_POD_IDENTITY_AUTHORITY_HOST": closedURL(t)},
			kind: ErrDenied, msg: []string{"no Azure credential: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET"}},
		{name: "vault unreachable", ref: "azurekv://qa-vault/x", env: map[string]string{"MAILSCRIPT_AZUREKV_URL": closedURL(t)}, kind: ErrUnreachable,
			msg: []string{"cannot reach Azure Key Vault qa-vault", "MAILSCRIPT_AZUREKV_URL"}},
		{name: "Entra unreachable", ref: "azurekv://qa-vault/x", env: map[string]string{"AZURE_AUTHORITY_HOST": closedURL(t)}, kind: ErrUnreachable,
			msg: []string{"cannot reach Microsoft Entra", "AZURE_AUTHORITY_HOST"}},
		{name: "plain http off loopback", ref: "azurekv://qa-vault/x", env: map[string]string{"MAILSCRIPT_AZUREKV_URL": "http://{vault}.vault.example.com"}, msg: []string{"use https"}},
		{name: "bad reference", ref: "azurekv://qa-vault", msg: []string{"azurekv://VAULT/NAME"}},
		{name: "bad secret name", ref: "azurekv://qa-vault/a_b", msg: []string{"azurekv://VAULT/NAME"}},
	})
}

func TestKVResource(t *testing.T) {
	for tmpl, want := range map[string]string{
		defaultKVURL:                               "https://vault.azure.net",
		"https://{vault}.vault.azure.cn":           "https://vault.azure.cn",
		"https://{vault}.vault.usgovcloudapi.net/": "https://vault.usgovcloudapi.net",
		"http://127.0.0.1:8080":                    defaultResource,
	} {
		if got := kvResource(tmpl); got != want {
			t.Errorf("kvResource(%q) = %q, want %q", tmpl, got, want)
		}
	}
}
