package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plainScript prints credentials given as plain settings (no secret() reference) the ways a
// script would: whole, transformed, in a failing assertion and in a thrown JSON message.
const plainScript = `
const hex = (s) => Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('');
mail.connect('microsoft365', { clientSecret: env.PLAIN_OPTION });
mail.connect('qa-plain');
mail.connect('google', { credentialsFile: env.KEY_FILE, user: 'qa@example.com' });
const values = JSON.parse(env.PLAIN_NAMES).map((n) => env[n]);
values.push(JSON.parse(env.MAILSCRIPT_GOOGLE_CREDENTIALS).private_key, JSON.parse(open('key.json')).private_key);
console.log(env);
test('prints plain credentials', () => {
  for (const v of values) {
    console.log(v, btoa('x' + v), 'Basic ' + btoa('app-id:' + v), hex(v), hex(v).toUpperCase(), encodeURIComponent(v));
    console.error(JSON.stringify({ v }));
  }
  console.log(open('key.json'));
  throw new Error(JSON.stringify({ values }));
});
test('fails on a plain credential', () => { expect(env.MAILSCRIPT_M365_CLIENT_SECRET).toBe('x'); });
`

// TestPlainCredentialsNeverLeak gives credentials the plain ways CI does (process environment,
// --env-file, a mailscript.json literal, a script option, a key file) and checks that no
// output shows them or their transformed forms.
func TestPlainCredentialsNeverLeak(t *testing.T) {
	dir := t.TempDir()
	envKey, fileKey := googleKey(t), googleKey(t)
	env := map[string]string{
		"MAILSCRIPT_M365_TENANT_ID": "contoso.onmicrosoft.com", "MAILSCRIPT_M365_CLIENT_ID": "0f4e2b1c-app", "MAILSCRIPT_M365_MAILBOX": "qa@contoso.com",
		"MAILSCRIPT_M365_CERTIFICATE_PASSWORD": "plain-cert-password-1111",
		"MAILSCRIPT_GOOGLE_CREDENTIALS":        envKey,
		"VAULT_TOKEN":                          "hvs.plain-vault-token-2222",
		"AZURE_CLIENT_SECRET":                  "plain~azure~client~secret~3333",
		"AWS_SECRET_ACCESS_KEY":                "plain/aws+secret/access+key/4444",
		"GITHUB_TOKEN":                         "ghp_plain_github_token_5555",
		"PLAIN_OPTION":                         "plain option secret & <6666>",
		"PROFILE_SECRET":                       "plain-profile-literal-7777",
		"KEY_FILE":                             filepath.Join(dir, "key.json"),
	}
	plainNames := []string{"MAILSCRIPT_M365_CLIENT_SECRET", "MAILSCRIPT_M365_CERTIFICATE_PASSWORD", "MAILSCRIPT_GOOGLE_CREDENTIALS",
		"VAULT_TOKEN", "AZURE_CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "PLAIN_OPTION", "PROFILE_SECRET"}
	env["PLAIN_NAMES"] = jsonString(t, plainNames)
	files := map[string]string{
		"plain.test.js": plainScript,
		"key.json":      fileKey,
		"ci.env":        "MAILSCRIPT_M365_CLIENT_SECRET=\"plain client secret from the env file=8888\"\n",
		"mailscript.json": jsonString(t, map[string]any{"connections": map[string]any{"qa-plain": map[string]any{
			"provider": "microsoft365", "tenantId": "contoso.onmicrosoft.com", "clientId": "0f4e2b1c-app",
			"clientSecret": env["PROFILE_SECRET"], "mailbox": "qa@contoso.com"}}}),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	junit, jsonPath := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json")
	code, stdout, stderr := runCLI(t, env, "run", filepath.Join(dir, "plain.test.js"), "--env-file", filepath.Join(dir, "ci.env"),
		"--config", filepath.Join(dir, "mailscript.json"), "--verbose", "--junit", junit, "--json", jsonPath)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 (the script fails on purpose)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	outputs := map[string]string{"stdout": stdout, "stderr": stderr, "junit": readFile(t, junit), "json": readFile(t, jsonPath)}
	outputs["junit decoded"] = xmlText(t, outputs["junit"])
	outputs["json decoded"] = jsonText(t, outputs["json"])
	if !strings.Contains(outputs["json decoded"], "[REDACTED]") || !strings.Contains(outputs["junit"], "Basic ") {
		t.Fatalf("the script did not print as planned:\n%s", outputs["json"])
	}
	// The keys' other fields (client_email, token_uri) and PEM armour are no secret: only the
	// private keys' bodies are checked.
	values := []string{"plain client secret from the env file=8888", pemBody(t, envKey), pemBody(t, fileKey)}
	for _, n := range plainNames[1:] {
		if n != "MAILSCRIPT_GOOGLE_CREDENTIALS" {
			values = append(values, env[n])
		}
	}
	for _, v := range values {
		b := []byte(v)
		forms := map[string]string{"plain": v, "hex": hex.EncodeToString(b), "HEX": strings.ToUpper(hex.EncodeToString(b)),
			"btoa('x' + v)": base64.StdEncoding.EncodeToString(append([]byte("x"), b...)),
			"Basic header":  base64.StdEncoding.EncodeToString(append([]byte("app-id:"), b...))}
		for form, s := range forms {
			// The first and last characters of an encoded form may carry a neighbour's bits.
			s = s[4 : len(s)-4]
			for out, text := range outputs {
				for i := 0; i+12 <= len(s); i += 6 {
					if strings.Contains(text, s[i:i+12]) {
						t.Errorf("%s shows the %s form of %.12q...", out, form, v)
						break
					}
				}
			}
		}
	}
}

// pemBody is the base64 body of a key file's private key, one line.
func pemBody(t *testing.T, keyJSON string) string {
	var k struct {
		PrivateKey string `json:"private_key"`
	}
	if err := json.Unmarshal([]byte(keyJSON), &k); err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(k.PrivateKey))
	return base64.StdEncoding.EncodeToString(block.Bytes)
}

// googleKey is a service account key with a fresh private key, as Google Cloud gives it.
func googleKey(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return jsonString(t, map[string]string{"type": "service_account", "client_email": "qa@project.iam.gserviceaccount.com",
		"private_key_id": "0123456789abcdef0123456789abcdef01234567",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"token_uri":      "https://oauth2.googleapis.com/token"})
}
