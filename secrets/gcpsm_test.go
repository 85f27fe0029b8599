package secrets

import (
	"testing"

	"github.com/mailscript/mailscript/secrets/secretstest"
)

func TestGoogleSecretManager(t *testing.T) {
	g := secretstest.NewGCP(t)
	g.Set("qa-project", "mail-key", "1", canary)
	g.Set("qa-project", "mail-key", "2", "second-version-value")
	g.Set("qa-project", "locked", "1", "forbidden-value")
	g.Forbid("qa-project", "locked")
	runVaultCases(t, g.Env(), []string{g.Token}, []vaultCase{
		{name: "latest", ref: "gcpsm://projects/qa-project/secrets/mail-key", want: "second-version-value"},
		{name: "version", ref: "gcpsm://projects/qa-project/secrets/mail-key/versions/1", want: canary},
		{name: "missing secret", ref: "gcpsm://projects/qa-project/secrets/nope", kind: ErrNotFound,
			msg: []string{"Secret Manager answered 404 Not Found: Secret [projects/qa-project/secrets/nope] not found", "check the project"}},
		{name: "no access", ref: "gcpsm://projects/qa-project/secrets/locked", kind: ErrDenied,
			msg: []string{"403 Forbidden: Permission 'secretmanager.versions.access' denied", "roles/secretmanager.secretAccessor"}},
		{name: "key refused", ref: "gcpsm://projects/qa-project/secrets/mail-key", env: map[string]string{"GOOGLE_APPLICATION_CREDENTIALS": g.ForeignKeyFile(t)},
			kind: ErrDenied, msg: []string{"token endpoint refused the credentials (invalid_grant Invalid JWT Signature)", "GOOGLE_APPLICATION_CREDENTIALS"}},
		{name: "key file missing", ref: "gcpsm://projects/qa-project/secrets/mail-key", env: map[string]string{"GOOGLE_APPLICATION_CREDENTIALS": t.TempDir() + "/none.json"},
			kind: ErrDenied, msg: []string{"cannot read GOOGLE_APPLICATION_CREDENTIALS"}},
		{name: "unreachable", ref: "gcpsm://projects/qa-project/secrets/mail-key", env: map[string]string{"MAILSCRIPT_GCPSM_URL": closedURL(t)},
			kind: ErrUnreachable, msg: []string{"cannot reach Secret Manager at 127.0.0.1", "MAILSCRIPT_GCPSM_URL"}},
		{name: "plain http off loopback", ref: "gcpsm://projects/qa-project/secrets/mail-key", env: map[string]string{"MAILSCRIPT_GCPSM_URL": "http://sm.example.com/"}, msg: []string{"use https"}},
		{name: "bad reference", ref: "gcpsm://qa-project/mail-key", msg: []string{"gcpsm://projects/PROJECT/secrets/NAME"}},
	})
}
