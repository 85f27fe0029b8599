package main

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/secrets/secretstest"
)

// canaryScript logs, throws and fails with every planted secret in every way a script can:
// the opaque object, its reveal()ed value, base64 and URL-encoded forms, an assertion diff,
// a thrown error and a rejected promise, plus the errors of connecting with each reference as
// an option and through a profile.
const canaryScript = `
const refs = JSON.parse(env.CANARY_REFS);
const b64 = (s) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = unescape(encodeURIComponent(s));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes.charCodeAt(i) << 16) | ((bytes.charCodeAt(i + 1) || 0) << 8) | (bytes.charCodeAt(i + 2) || 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63] +
      (i + 1 < bytes.length ? abc[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? abc[n & 63] : '=');
  }
  return out;
};
const secrets = refs.map((r) => secret(r));

test('logs every secret', async () => {
  for (const s of secrets) {
    const v = s.reveal();
    console.log('object', s, String(s), JSON.stringify({ s }), [s]);
    console.log('revealed', v, 'twice', v + v);
    console.warn('base64', b64(v), 'url', encodeURIComponent(v), escape(v));
    console.error({ nested: { value: v, encoded: [b64(v), encodeURIComponent(v)] } });
  }
  console.log('env', env.CANARY_ENV);
  for (const r of refs) {
    const options = {
      microsoft365: { clientSecret: r }, // the emulator's tenant, app and mailbox: only the secret is wrong
      google: { credentials: r, user: 'qa@example.com' },
    };
    for (const [name, opts] of Object.entries(options)) {
      try { await mail.connect(name, opts).list(); } catch (e) { console.log('connect option', e, e.message, e.stack); }
    }
  }
  for (const profile of ['qa-m365', 'qa-google']) {
    try { await mail.connect(profile).list(); } catch (e) { console.log('profile', e, e.message); }
  }
  throw new Error('leaking on purpose: ' + secrets.map((s) => s.reveal() + ' ' + b64(s.reveal()) + ' ' + encodeURIComponent(s.reveal())).join(' | '));
});

for (const s of secrets) {
  test('assertion diff for ' + s, () => { expect({ value: s.reveal() }).toEqual({ value: 'something else' }); });
  test('rejection for ' + s, async () => { await Promise.reject(new Error('rejected with ' + s.reveal())); });
}
`

// TestCanarySecretsNeverLeak plants a known secret behind every kind of reference, runs a
// script that fails on purpose while printing them every way it can, and scans stdout, stderr
// and the reports (raw, and decoded from JSON and XML escaping) for the values and their
// base64 and URL-encoded forms: there must be none.
func TestCanarySecretsNeverLeak(t *testing.T) {
	canaries := map[string]string{}
	plant := func(kind string) string {
		// '&', '<' and '"' change under JSON and XML escaping; '+', '/', '=' and ' ' under
		// base64 and URL encoding.
		v := fmt.Sprintf("cnry-%s+/=&<\"x y-%s", kind, strings.Repeat(kind[:1], 6))
		canaries[kind] = v
		return v
	}
	dir := t.TempDir()
	env := map[string]string{"CANARY_ENV": plant("env")}
	if err := os.WriteFile(filepath.Join(dir, "canary.txt"), []byte(plant("file")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hv := secretstest.NewVault(t)
	hv.Set("mail", map[string]any{"clientSecret": plant("vault")})
	az := secretstest.NewAzure(t)
	az.Set("mail-secret", "1", plant("azurekv"))
	gcp := secretstest.NewGCP(t)
	gcp.Set("qa-project", "mail-secret", "1", plant("gcpsm"))
	aws := secretstest.NewAWS(t)
	aws.Set("qa/mail", `{"clientSecret":`+jsonString(t, plant("awssm"))+`}`)
	conjur := secretstest.NewConjur(t)
	conjur.Set("prod/mail/client-secret", plant("conjur"))
	ccp := secretstest.NewCCP(t)
	ccp.Add("QA-Mail", "Cloud-M365", map[string]string{"Content": plant("ccp"), "UserName": "svc-mailscript"})
	for _, e := range []map[string]string{hv.Env(), az.Env(), gcp.Env(), aws.Env(), conjur.Env(), ccp.Env()} {
		maps.Copy(env, e)
	}
	refs := []string{"env:CANARY_ENV", "file:" + filepath.Join(dir, "canary.txt"), "vault://secret/data/mail#clientSecret",
		"azurekv://qa-vault/mail-secret", "gcpsm://projects/qa-project/secrets/mail-secret", "awssm://qa/mail#clientSecret",
		"cyberark://conjur/prod/mail/client-secret", "cyberark://ccp/QA-Mail/Cloud-M365"}
	env["CANARY_REFS"] = jsonString(t, refs)
	profiles := map[string]any{"connections": map[string]any{
		"qa-m365": map[string]any{"provider": "microsoft365", "tenantId": "contoso.onmicrosoft.com", "clientId": refs[0],
			"clientSecret": refs[2], "mailbox": refs[6], "loginUrl": refs[1], "graphUrl": refs[3]},
		"qa-google": map[string]any{"provider": "google", "credentials": refs[4], "user": refs[5], "gmailUrl": refs[7]},
	}}
	config := filepath.Join(dir, "mailscript.json")
	if err := os.WriteFile(config, []byte(jsonString(t, profiles)), 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "canary.test.js")
	if err := os.WriteFile(script, []byte(canaryScript), 0o644); err != nil {
		t.Fatal(err)
	}

	creds := []string{hv.Token, az.Token, az.ClientSecret, gcp.Token, aws.SecretAccessKey, conjur.APIKey}
	for _, reporter := range []string{"pretty", "json", "dots"} {
		t.Run(reporter, func(t *testing.T) {
			junit, jsonPath := filepath.Join(t.TempDir(), "junit.xml"), filepath.Join(t.TempDir(), "report.json")
			code, stdout, stderr := runCLI(t, env, "run", script, "--emulator", "--config", config, "--reporter", reporter, "--verbose", "--junit", junit, "--json", jsonPath)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1 (the script fails on purpose)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			outputs := map[string]string{"stdout": stdout, "stderr": stderr, "junit": readFile(t, junit), "json": readFile(t, jsonPath)}
			outputs["junit decoded"] = xmlText(t, outputs["junit"])
			outputs["json decoded"] = jsonText(t, outputs["json"])
			if reporter == "json" {
				outputs["stdout decoded"] = jsonText(t, stdout)
			}
			// The run must really have printed: a test that finds nothing in empty output proves nothing.
			for _, want := range []string{"[secret vault://secret/data/mail#clientSecret]", "[secret cyberark://conjur/prod/mail/client-secret]",
				"[secret cyberark://ccp/QA-Mail/Cloud-M365]", "[REDACTED]", "leaking on purpose"} {
				if !strings.Contains(outputs["json decoded"], want) {
					t.Errorf("the JSON report lacks %q: the script did not run as planned\n%s", want, outputs["json"])
				}
			}
			for kind, v := range canaries {
				for form, s := range encodedForms(v) {
					for out, text := range outputs {
						if n := strings.Count(text, s); n > 0 {
							t.Errorf("%s: the %s secret's %s form appears %d times", out, kind, form, n)
						}
					}
				}
			}
			for _, c := range creds {
				for out, text := range outputs {
					if strings.Contains(text, c) {
						t.Errorf("%s shows a vault access credential (%.8s...)", out, c)
					}
				}
			}
		})
	}
}

// encodedForms are the forms a leak can take. The JavaScript ones are derived from Go's
// escapers and hold for the canaries' characters (no '~', '!', '(' or non-ASCII).
func encodedForms(v string) map[string]string {
	b := []byte(v)
	return map[string]string{
		"plain": v, "base64": base64.StdEncoding.EncodeToString(b), "base64url": base64.URLEncoding.EncodeToString(b),
		"raw base64": base64.RawStdEncoding.EncodeToString(b), "query-escaped": url.QueryEscape(v), "path-escaped": url.PathEscape(v),
		"JS encodeURIComponent": strings.ReplaceAll(url.QueryEscape(v), "+", "%20"),
		"JS escape":             strings.NewReplacer("%2B", "+", "%2F", "/").Replace(strings.ReplaceAll(url.QueryEscape(v), "+", "%20")),
	}
}

func jsonString(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readFile(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsonText is every string in a JSON document, unescaped, one per line.
func jsonText(t *testing.T, doc string) string {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v + "\n")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				b.WriteString(k + "\n")
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

// xmlText is every attribute value and text of an XML document, unescaped, one per line.
func xmlText(t *testing.T, doc string) string {
	dec := xml.NewDecoder(strings.NewReader(doc))
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return b.String()
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				b.WriteString(a.Value + "\n")
			}
		case xml.CharData:
			b.WriteString(string(tok) + "\n")
		}
	}
}
