package secrets

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mailscript/mailscript/secrets/secretstest"
)

func TestConjur(t *testing.T) {
	t.Parallel()
	c := secretstest.NewConjur(t)
	c.Set("prod/mail/client-secret", canary)
	c.Set("qa mail/with space", "second-version-value")
	c.Declare("prod/mail/empty")
	c.Set("prod/mail/locked", "forbidden-value")
	c.DenyExecute("prod/mail/locked")
	jwtFile := filepath.Join(t.TempDir(), "jwt")
	if err := os.WriteFile(jwtFile, []byte(c.JWT+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	jwt := map[string]string{"CONJUR_AUTHN_LOGIN": "", "CONJUR_AUTHN_API_KEY": "", "CONJUR_AUTHN_JWT_SERVICE_ID": c.JWTService, "CONJUR_AUTHN_JWT_TOKEN": c.JWT}
	jwtFromFile := map[string]string{"CONJUR_AUTHN_LOGIN": "", "CONJUR_AUTHN_JWT_SERVICE_ID": c.JWTService, "JWT_TOKEN_PATH": jwtFile}
	ref := "cyberark://conjur/prod/mail/client-secret"
	runVaultCases(t, c.Env(), []string{c.APIKey, c.JWT}, []vaultCase{
		{name: "API key", ref: ref, want: canary, creds: []string{c.APIKey}},
		{name: "id with a space", ref: "cyberark://conjur/qa mail/with space", want: "second-version-value", creds: []string{c.APIKey}},
		{name: "authn-jwt", ref: ref, env: jwt, want: canary, creds: []string{c.JWT}},
		{name: "authn-jwt with a host id", ref: ref, env: map[string]string{"CONJUR_AUTHN_JWT_SERVICE_ID": c.JWTService, "CONJUR_AUTHN_JWT_TOKEN": c.JWT,
			"CONJUR_AUTHN_JWT_HOST_ID": c.JWTHost}, want: canary, creds: []string{c.JWT}},
		{name: "authn-jwt token file", ref: ref, env: jwtFromFile, want: canary, creds: []string{c.JWT}},
		{name: "token file", ref: ref, env: map[string]string{"CONJUR_AUTHN_API_KEY": "", "CONJUR_AUTHN_TOKEN_FILE": c.TokenFile(t)}, want: canary, creds: []string{}},
		{name: "wrong API key", ref: ref, env: map[string]string{"CONJUR_AUTHN_API_KEY": "2bfz0xz1a8m0gt3m6a4jt2"}, kind: ErrDenied,
			msg: []string{"Conjur refused the API key for host/ci/mailscript-runner: check CONJUR_AUTHN_API_KEY"}},
		{name: "wrong account", ref: ref, env: map[string]string{"CONJUR_ACCOUNT": "prod"}, kind: ErrDenied, msg: []string{"CONJUR_ACCOUNT=prod"}},
		{name: "JWT refused", ref: ref, env: map[string]string{"CONJUR_AUTHN_JWT_SERVICE_ID": c.JWTService, "CONJUR_AUTHN_JWT_TOKEN": "eyJhbGciOi.expired.sig"}, kind: ErrDenied,
			msg: []string{"authn-jwt/gitlab refused CONJUR_AUTHN_JWT_TOKEN"}},
		{name: "JWT of another authenticator", ref: ref, env: map[string]string{"CONJUR_AUTHN_JWT_SERVICE_ID": "github", "CONJUR_AUTHN_JWT_TOKEN": c.JWT}, kind: ErrDenied,
			msg: []string{"authn-jwt/github refused", "CONJUR_AUTHN_JWT_SERVICE_ID"}},
		{name: "no JWT", ref: ref, env: map[string]string{"CONJUR_AUTHN_JWT_SERVICE_ID": c.JWTService, "JWT_TOKEN_PATH": filepath.Join(t.TempDir(), "none")}, kind: ErrDenied,
			msg: []string{"set CONJUR_AUTHN_JWT_TOKEN", "JWT_TOKEN_PATH"}},
		{name: "missing variable", ref: "cyberark://conjur/prod/mail/nope", kind: ErrNotFound,
			msg: []string{"Conjur answered 404 Not Found: Variable 'prod/mail/nope' not found in account 'qa'", "Conjur answers 404 for a variable the role cannot see"}},
		{name: "variable without a value", ref: "cyberark://conjur/prod/mail/empty", kind: ErrNotFound,
			msg: []string{"CONJ00076E Variable qa:variable:prod/mail/empty is empty or not found", "conjur variable set -i prod/mail/empty"}},
		{name: "read without execute", ref: "cyberark://conjur/prod/mail/locked", kind: ErrDenied,
			msg: []string{"Conjur answered 403 Forbidden: host/ci/mailscript-runner may see the variable prod/mail/locked but not fetch its value", "execute"}},
		{name: "expired token file", ref: ref, env: map[string]string{"CONJUR_AUTHN_TOKEN_FILE": writeTemp(t, `{"protected":"e30","payload":"e30","signature":"old"}`)},
			kind: ErrDenied, msg: []string{"Conjur refused the access token in CONJUR_AUTHN_TOKEN_FILE", "expired"}},
		{name: "no credentials", ref: ref, env: map[string]string{"CONJUR_AUTHN_API_KEY": ""}, kind: ErrDenied,
			msg: []string{"no Conjur credentials: set CONJUR_AUTHN_LOGIN and CONJUR_AUTHN_API_KEY", "CONJUR_AUTHN_TOKEN_FILE"}},
		{name: "CA not trusted", ref: ref, env: map[string]string{"CONJUR_CERT_FILE": ""}, kind: ErrUnreachable,
			msg: []string{"cannot reach Conjur at 127.0.0.1", "set CONJUR_CERT_FILE to the CA certificate"}},
		{name: "CA file missing", ref: ref, env: map[string]string{"CONJUR_CERT_FILE": filepath.Join(t.TempDir(), "ca.pem")}, msg: []string{"cannot read CONJUR_CERT_FILE"}},
		{name: "CA file not PEM", ref: ref, env: map[string]string{"CONJUR_CERT_FILE": writeTemp(t, "not a certificate")}, msg: []string{"holds no PEM certificate"}},
		{name: "unreachable", ref: ref, env: map[string]string{"CONJUR_APPLIANCE_URL": closedURL(t)}, kind: ErrUnreachable, msg: []string{"check CONJUR_APPLIANCE_URL"}},
		{name: "no appliance URL", ref: ref, env: map[string]string{"CONJUR_APPLIANCE_URL": ""}, msg: []string{"set CONJUR_APPLIANCE_URL"}},
		{name: "no account", ref: ref, env: map[string]string{"CONJUR_ACCOUNT": ""}, msg: []string{"set CONJUR_ACCOUNT"}},
		{name: "plain http off loopback", ref: ref, env: map[string]string{"CONJUR_APPLIANCE_URL": "http://conjur.example.com"}, msg: []string{"use https"}},
		{name: "no id", ref: "cyberark://conjur/", msg: []string{"cyberark://conjur/VARIABLE-ID"}},
		{name: "unknown kind", ref: "cyberark://pvwa/x", msg: []string{"cyberark://conjur/VARIABLE-ID", "cyberark://ccp/SAFE/OBJECT"}},
	})
}

func TestConjurCloud(t *testing.T) {
	t.Parallel()
	c := secretstest.NewConjur(t)
	c.Cloud = true
	c.Set("data/vault/qa-safe/mail/password", canary)
	runVaultCases(t, c.Env(), []string{c.APIKey}, []vaultCase{
		{name: "under /api", ref: "cyberark://conjur/data/vault/qa-safe/mail/password", want: canary},
	})
}

// TestConjurTokenPerRun checks that one authentication serves a run's variables, and that an
// expired token (Conjur answers 401) makes the resolver authenticate once more.
func TestConjurTokenPerRun(t *testing.T) {
	t.Parallel()
	c := secretstest.NewConjur(t)
	c.Set("a/one", "first-value")
	c.Set("a/two", "second-value")
	c.Set("a/three", "third-value")
	env := c.Env()
	cache := &Cache{Resolver: Resolver{Getenv: func(k string) string { return env[k] }, Redactor: &Redactor{}}}
	for _, id := range []string{"a/one", "a/two"} {
		if _, err := cache.Resolve(t.Context(), "cyberark://conjur/"+id); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.Authentications(); n != 1 {
		t.Fatalf("%d authentications for two variables, want 1", n)
	}
	c.ExpireTokens()
	v, err := cache.Resolve(t.Context(), "cyberark://conjur/a/three")
	if err != nil || v.Reveal() != "third-value" {
		t.Fatalf("after the token expired: %v %v", v, err)
	}
	if n := c.Authentications(); n != 2 {
		t.Fatalf("%d authentications, want 2 (one more after the token expired)", n)
	}
}

// TestConjurTokenFileReread checks that a 401 makes the resolver read the token file again, as
// the authenticator sidecar that writes it renews the token.
func TestConjurTokenFileReread(t *testing.T) {
	t.Parallel()
	c := secretstest.NewConjur(t)
	c.Set("a/one", canary)
	fresh, err := os.ReadFile(c.TokenFile(t))
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	env := c.Env()
	env["CONJUR_AUTHN_TOKEN_FILE"] = "/run/conjur/access-token"
	r := Resolver{Getenv: func(k string) string { return env[k] }, Redactor: &Redactor{},
		ReadFile: func(name string) ([]byte, error) {
			if name != env["CONJUR_AUTHN_TOKEN_FILE"] {
				return os.ReadFile(name)
			}
			reads++
			if reads == 1 {
				return []byte(`{"protected":"e30","payload":"e30","signature":"expired"}`), nil
			}
			return fresh, nil
		}}
	v, err := r.Resolve(t.Context(), "cyberark://conjur/a/one")
	if err != nil || v.Reveal() != canary {
		t.Fatalf("Resolve: %v %v", v, err)
	}
	if reads != 2 {
		t.Fatalf("read the token file %d times, want 2", reads)
	}
}

func TestCCP(t *testing.T) {
	t.Parallel()
	c := secretstest.NewCCP(t)
	c.Add("QA-Mail", "Cloud-M365-mailscript", map[string]string{"Content": canary, "UserName": "svc-mailscript", "Address": "login.microsoftonline.com"})
	c.Add("QA-Mail", "Cloud-Google mailscript", map[string]string{"Content": "second-version-value", "UserName": "svc-google", "Address": "accounts.google.com"})
	c.Add("QA-Mail", "rotating", map[string]string{"Content": "forbidden-value", "UserName": "svc-rotating"})
	c.Changing("QA-Mail", "rotating")
	otherCert, otherKey := c.ClientCert(t, false)
	foreignCert, foreignKey := c.ForeignClientCert(t)
	pfx := c.ClientPFX(t, "pfx-pass")
	combined := writeTemp(t, readTemp(t, c.CertFile)+readTemp(t, c.KeyFile))
	ref := "cyberark://ccp/QA-Mail/Cloud-M365-mailscript"
	runVaultCases(t, c.Env(), nil, []vaultCase{
		{name: "Content", ref: ref, want: canary},
		{name: "another property", ref: ref + "#UserName", want: "svc-mailscript"},
		{name: "property in other case", ref: ref + "#username", want: "svc-mailscript"},
		{name: "object with a space", ref: "cyberark://ccp/QA-Mail/Cloud-Google mailscript", want: "second-version-value"},
		{name: "search parameters", ref: "cyberark://ccp?Safe=QA-Mail&UserName=svc-google", want: "second-version-value"},
		{name: "free query", ref: "cyberark://ccp?Query=Safe=QA-Mail;Address=login.microsoftonline.com#Address", want: "login.microsoftonline.com"},
		{name: "PFX with password", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CERT": pfx, "MAILSCRIPT_CYBERARK_CCP_KEY": "",
			"MAILSCRIPT_CYBERARK_CCP_CERT_PASSWORD": "pfx-pass"}, want: canary, creds: []string{"pfx-pass"}},
		{name: "certificate and key in one file", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CERT": combined, "MAILSCRIPT_CYBERARK_CCP_KEY": ""}, want: canary},
		{name: "missing object", ref: "cyberark://ccp/QA-Mail/nope", kind: ErrNotFound,
			msg: []string{"404 Not Found APPAP004E: Password object matching query [Safe=QA-Mail;Folder=Root;Object=nope] was not found", "check the safe and object names"}},
		{name: "missing property", ref: ref + "#LogonDomain", kind: ErrNotFound, msg: []string{`no property "LogonDomain"`, "Content", "UserName"}},
		{name: "wrong AppID", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_APP_ID": "MailScript_PROD"}, kind: ErrDenied,
			msg: []string{"403 Forbidden APPAP008E", "ITATS982E User MailScript_PROD is not defined", "check MAILSCRIPT_CYBERARK_APP_ID"}},
		{name: "certificate not allowed for the AppID", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CERT": otherCert, "MAILSCRIPT_CYBERARK_CCP_KEY": otherKey},
			kind: ErrDenied, msg: []string{"403 Forbidden APPAP306E: Authentication error for App ID [MailScript_QA]", "allowed machines of the application MailScript_QA"}},
		{name: "password being changed", ref: "cyberark://ccp/QA-Mail/rotating", msg: []string{"500 Internal Server Error APPAP282E", "the CPM is changing this password"}},
		{name: "query matches several", ref: "cyberark://ccp?Safe=QA-Mail", msg: []string{"APPAP229E", "narrow it with Object, UserName or Address"}},
		{name: "no client certificate", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CERT": "", "MAILSCRIPT_CYBERARK_CCP_KEY": ""}, kind: ErrUnreachable,
			msg: []string{"cannot reach the Central Credential Provider", "requires a client certificate: set MAILSCRIPT_CYBERARK_CCP_CERT"}},
		{name: "client certificate from an unknown CA", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CERT": foreignCert, "MAILSCRIPT_CYBERARK_CCP_KEY": foreignKey},
			kind: ErrUnreachable, msg: []string{"refused the client certificate in MAILSCRIPT_CYBERARK_CCP_CERT"}},
		{name: "server CA not trusted", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CA": ""}, kind: ErrUnreachable, msg: []string{"set MAILSCRIPT_CYBERARK_CCP_CA"}},
		{name: "wrong PFX password", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CERT": pfx, "MAILSCRIPT_CYBERARK_CCP_KEY": "",
			"MAILSCRIPT_CYBERARK_CCP_CERT_PASSWORD": "wrong-password"}, kind: ErrDenied, msg: []string{"not a PFX that opens with MAILSCRIPT_CYBERARK_CCP_CERT_PASSWORD"}},
		{name: "key that does not match", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_KEY": otherKey}, kind: ErrDenied, msg: []string{"MAILSCRIPT_CYBERARK_CCP_CERT", "its key"}},
		{name: "key without certificate", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_CERT": ""}, kind: ErrDenied, msg: []string{"MAILSCRIPT_CYBERARK_CCP_KEY is set without"}},
		{name: "unreachable", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_URL": closedURL(t)}, kind: ErrUnreachable, msg: []string{"check MAILSCRIPT_CYBERARK_CCP_URL"}},
		{name: "wrong web service path", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_CCP_URL": c.URL + "/AIMWebSvc"}, kind: ErrNotFound,
			msg: []string{"404 Not Found without a CyberArk error code", "default path /AIMWebService"}},
		{name: "no settings", ref: ref, env: map[string]string{"MAILSCRIPT_CYBERARK_APP_ID": ""}, msg: []string{"set MAILSCRIPT_CYBERARK_CCP_URL", "MAILSCRIPT_CYBERARK_APP_ID"}},
		{name: "no object", ref: "cyberark://ccp/QA-Mail", msg: []string{`no object after the safe "QA-Mail"`}},
		{name: "AppID in the reference", ref: "cyberark://ccp?AppID=x&Safe=QA-Mail", msg: []string{`unknown parameter "AppID"`}},
	})
}

func FuzzCCPQuery(f *testing.F) {
	for _, s := range []string{"/QA/obj", "?Safe=QA&UserName=u", "?Query=Safe=QA;Object=o", "/QA", "?a=%zz", "?Safe=", "/a/b/c?Folder=Root%5CX"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		params, err := ccpQuery(spec)
		if err != nil {
			return
		}
		if len(params) == 0 {
			t.Fatalf("ccpQuery(%q) accepted no parameters", spec)
		}
		for _, p := range params {
			if !slices.Contains(ccpParams, p[0]) || p[1] == "" {
				t.Fatalf("ccpQuery(%q) gave %q=%q", spec, p[0], p[1])
			}
		}
	})
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readTemp(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
