package secrets

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// vaultCase is one reference resolved against a fake vault.
type vaultCase struct {
	name string
	ref  string
	env  map[string]string // on top of the fake's own environment; "" deletes a key
	want string            // the value, on success
	kind error             // ErrNotFound, ErrDenied or ErrUnreachable on failure; nil for a usage error
	msg  []string          // what the error must say
	// creds are the credentials a success registers; nil means all that runVaultCases got.
	creds []string
}

// runVaultCases resolves each case with a fresh redactor. Successes must return the value and
// register it and every credential in creds; failures must name the reference, say what to
// check, and show none of creds nor any planted value.
func runVaultCases(t *testing.T, env map[string]string, creds []string, cases []vaultCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := maps.Clone(env)
			maps.Copy(e, tc.env)
			red := &Redactor{}
			r := Resolver{Getenv: func(k string) string { return e[k] }, Redactor: red}
			v, err := r.Resolve(context.Background(), tc.ref)
			if tc.want != "" {
				if err != nil {
					t.Fatalf("Resolve(%s): %v", tc.ref, err)
				}
				if v.Reveal() != tc.want || v.Ref() != tc.ref {
					t.Fatalf("Resolve(%s) = %q from %q, want %q", tc.ref, v.Reveal(), v.Ref(), tc.want)
				}
				registered := creds
				if tc.creds != nil {
					registered = tc.creds
				}
				for _, s := range append([]string{tc.want}, registered...) {
					if len(s) >= minLen && red.Redact("<"+s+">") != "<"+Mask+">" {
						t.Errorf("%.6s... was not registered for redaction", s)
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("Resolve(%s) = %v, want an error", tc.ref, v)
			}
			if tc.kind != nil && !errors.Is(err, tc.kind) {
				t.Errorf("error %v is not %v", err, tc.kind)
			}
			for _, want := range append([]string{tc.ref}, tc.msg...) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			for _, s := range append(creds, planted...) {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q shows a credential or value", err)
				}
			}
		})
	}
}

// planted are the values the vault tests store: no error may show them.
var planted = []string{canary, "second-version-value", "forbidden-value"}

// closedURL is a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	srv := httptest.NewServer(nil)
	srv.Close()
	return srv.URL
}

func TestRedirectsStayOnTheConfiguredHost(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("X-Vault-Token") != "")
	}))
	defer other.Close()
	vault := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer vault.Close()
	env := map[string]string{"VAULT_ADDR": vault.URL, "VAULT_TOKEN": "hvs.must-stay-home"}
	r := Resolver{Getenv: func(k string) string { return env[k] }, Redactor: &Redactor{}}
	_, err := r.Resolve(t.Context(), "vault://secret/data/mail#x")
	if err == nil || !strings.Contains(err.Error(), "refusing a redirect") || !errors.Is(err, ErrUnreachable) {
		t.Fatalf("redirect to another host: %v", err)
	}
	if leaked.Load() {
		t.Fatal("the Vault token was sent to the redirect target")
	}
}
