package google

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/providers"
)

type revealer string

func (r revealer) Reveal() string { return string(r) }

func TestConnectValidation(t *testing.T) {
	e := newEmu(t, emuOptions{})
	good := string(e.key)
	var fields map[string]string
	_ = json.Unmarshal(e.key, &fields)
	with := func(k, v string) string {
		m := map[string]string{}
		for kk, vv := range fields {
			m[kk] = vv
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.json")
	if err := os.WriteFile(keyFile, e.key, 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(vars map[string]string) providers.Env { return func(k string) string { return vars[k] } }
	tests := []struct {
		name    string
		opts    providers.Options
		env     map[string]string
		field   string // "" means success
		problem string
	}{
		{name: "text", opts: providers.Options{"credentials": good, "user": qaUser}},
		{name: "secret", opts: providers.Options{"credentials": revealer(good), "user": qaUser}},
		{name: "file", opts: providers.Options{"credentialsFile": keyFile, "user": qaUser}},
		{name: "env", env: map[string]string{EnvCredentialsFile: keyFile, EnvUser: qaUser, EnvGmailURL: "http://127.0.0.1:1/"}},
		{name: "unknown option", opts: providers.Options{"credential": good}, field: "credential", problem: "unknown option"},
		{name: "no credentials", opts: providers.Options{"user": qaUser}, field: "credentials", problem: EnvCredentialsFile},
		{name: "both", opts: providers.Options{"credentials": good, "credentialsFile": keyFile, "user": qaUser}, field: "credentials", problem: "not both"},
		{name: "missing file", opts: providers.Options{"credentialsFile": filepath.Join(dir, "nope.json"), "user": qaUser}, field: "credentialsFile", problem: "cannot read"},
		{name: "not json", opts: providers.Options{"credentials": "{nope", "user": qaUser}, field: "credentials", problem: "not valid JSON"},
		{name: "user credential", opts: providers.Options{"credentials": `{"type":"authorized_user"}`, "user": qaUser}, field: "credentials", problem: "authorized_user"},
		{name: "not a key", opts: providers.Options{"credentials": `{"web":{}}`, "user": qaUser}, field: "credentials", problem: "not a service account key"},
		{name: "no private key", opts: providers.Options{"credentials": with("private_key", ""), "user": qaUser}, field: "credentials", problem: "has no private_key"},
		{name: "malformed key", opts: providers.Options{"credentials": with("private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "user": qaUser}, field: "credentials", problem: "malformed private_key"},
		{name: "env key is checked", env: map[string]string{EnvCredentials: with("private_key", ""), EnvUser: qaUser}, field: "credentials", problem: "(from " + EnvCredentials + ")"},
		{name: "http token_uri", opts: providers.Options{"credentials": with("token_uri", "http://oauth.example.com/token"), "user": qaUser}, field: "credentials", problem: "plain http"},
		{name: "no user", opts: providers.Options{"credentials": good}, field: "user", problem: "missing settings: user (" + EnvUser + "); pass them"},
		{name: "nothing set", field: "credentials", problem: "missing settings: credentials or credentialsFile (" + EnvCredentials + " or " + EnvCredentialsFile + "), user (" + EnvUser + "); pass them to mail.connect, set the environment variables (or --env-file), or run with --emulator"},
		{name: "bad user", opts: providers.Options{"credentials": good, "user": "qa"}, field: "user", problem: "not an e-mail address"},
		{name: "http gmailUrl", opts: providers.Options{"credentials": good, "user": qaUser, "gmailUrl": "http://gmail.example.com/"}, field: "gmailUrl", problem: "plain http"},
		{name: "bad scopes", opts: providers.Options{"credentials": good, "user": qaUser, "scopes": 3}, field: "scopes", problem: "list of scope strings"},
		{name: "quota rate", opts: providers.Options{"credentials": good, "user": qaUser}, env: map[string]string{EnvQuotaRate: " 62.5 "}},
		{name: "quota rate not a number", opts: providers.Options{"credentials": good, "user": qaUser}, env: map[string]string{EnvQuotaRate: "fast"}, field: EnvQuotaRate, problem: "positive number"},
		{name: "quota rate zero", opts: providers.Options{"credentials": good, "user": qaUser}, env: map[string]string{EnvQuotaRate: "0"}, field: EnvQuotaRate, problem: "like 250"},
		{name: "quota rate infinite", opts: providers.Options{"credentials": good, "user": qaUser}, env: map[string]string{EnvQuotaRate: "+Inf"}, field: EnvQuotaRate, problem: "positive number"},
		{name: "bad scope element", opts: providers.Options{"credentials": good, "user": qaUser, "scopes": []any{"gmail.modify", 1}}, field: "scopes", problem: "element 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shared := providers.NewShared(nil)
			_, err := Connect(tt.opts, env(tt.env), shared)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				// Every successful connect read the key: the run's redactor now masks it.
				if strings.Contains(shared.Redactor().Redact(good), fields["private_key"][40:80]) {
					t.Error("the run's redactor lets the key through")
				}
				return
			}
			var oe *providers.OptionError
			if !errors.As(err, &oe) || oe.Field != tt.field || !strings.Contains(oe.Problem, tt.problem) {
				t.Fatalf("error = %v, want an OptionError on %q mentioning %q", err, tt.field, tt.problem)
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Errorf("the error lets the key through: %v", err)
			}
		})
	}
}

func TestScopes(t *testing.T) {
	cfg, err := parseOptions(providers.Options{"credentials": string(newEmu(t, emuOptions{}).key), "user": qaUser, "scopes": "gmail.readonly, https://mail.google.com/"}, nil, providers.NewShared(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"https://www.googleapis.com/auth/gmail.readonly", ScopeFull}; strings.Join(cfg.scopes, " ") != strings.Join(want, " ") {
		t.Errorf("scopes = %q, want %q", cfg.scopes, want)
	}
	if cfg.gmailURL != defaultGmailURL || cfg.quotaRate != defaultQuotaRate {
		t.Errorf("gmailURL = %q, quota rate %v", cfg.gmailURL, cfg.quotaRate)
	}
}

// TestQuotaRateApplies: the rate from the environment reaches the user's shared bucket.
func TestQuotaRateApplies(t *testing.T) {
	e := newEmu(t, emuOptions{})
	mb, err := Connect(providers.Options{"credentials": string(e.key), "user": qaUser, "gmailUrl": e.srv.URL},
		func(k string) string { return map[string]string{EnvQuotaRate: "62.5"}[k] }, e.shared)
	if err != nil {
		t.Fatal(err)
	}
	q := mb.(*mailbox).client.Transport.(*authTransport).quota
	if q.rate != 62.5 || q.burst != 625 {
		t.Errorf("bucket rate %v, burst %v; want 62.5 and 625", q.rate, q.burst)
	}
	if e.connect(qaUser, nil).client.Transport.(*authTransport).quota != q {
		t.Error("a second connection to the same user and project has its own bucket")
	}
}
