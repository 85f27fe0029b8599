package secrets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Value is a resolved secret. It formats as [secret REF] everywhere (fmt, JSON, logs); only
// Reveal gives the value, and every resolved value is registered with Default for redaction.
type Value struct {
	ref   string
	value string
}

// Ref is the reference the value was resolved from, such as "env:CLIENT_SECRET".
func (v Value) Ref() string { return v.ref }

// Reveal returns the secret itself.
func (v Value) Reveal() string { return v.value }

// String never shows the value.
func (v Value) String() string { return "[secret " + v.ref + "]" }

// GoString keeps %#v from printing the value.
func (v Value) GoString() string { return v.String() }

// MarshalJSON keeps the value out of JSON output.
func (v Value) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", v.String())), nil }

// ErrUnsupported is returned for a reference scheme this build cannot resolve.
var ErrUnsupported = errors.New("unsupported secret reference")

// Resolver resolves references. Getenv and ReadFile are injected so that tests and the
// runtime's --env-file control them; the key vaults read their settings (VAULT_ADDR,
// AZURE_CLIENT_ID, AWS_REGION...) through Getenv too.
type Resolver struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
	// Redactor learns every value resolved and every credential met on the way (a vault token,
	// a client secret), so that the run's output masks them: the run's redactor.
	Redactor *Redactor
	// HTTPClient carries key-vault and token requests (AWS excepted: its SDK keeps its own
	// client); nil means a client with a 30s timeout.
	// Its redirect policy is always replaced by one that stays on the configured host.
	HTTPClient *http.Client

	conjurTokens *conjurTokens // set by Cache: one Conjur authentication per run
}

// Resolve turns a reference into a Value. The error names the reference, never a value.
func (r Resolver) Resolve(ctx context.Context, ref string) (Value, error) {
	scheme, rest, ok := strings.Cut(ref, ":")
	if !ok || rest == "" {
		return Value{}, fmt.Errorf("secret %q: a reference looks like env:NAME or file:PATH", ref)
	}
	var value string
	var err error
	switch scheme {
	case "env":
		getenv := r.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		value = getenv(rest)
		if value == "" {
			return Value{}, fmt.Errorf("secret %q: the environment variable %s is not set or empty", ref, rest)
		}
	case "file":
		b, err := r.readFile(rest)
		if err != nil {
			// The path tried, made absolute: a relative one is taken from the working folder,
			// which is not always the script's or mailscript.json's.
			abs, _ := filepath.Abs(rest)
			return Value{}, fmt.Errorf("secret %q: cannot read the file %s: %w", ref, abs, errors.Unwrap(err))
		}
		value = strings.TrimRight(string(b), "\r\n")
	case "vault":
		value, err = r.hashiVault(ctx, ref)
	case "azurekv":
		value, err = r.azureKV(ctx, ref)
	case "gcpsm":
		value, err = r.gcpSM(ctx, ref)
	case "awssm":
		value, err = r.awsSM(ctx, ref)
	case "cyberark":
		value, err = r.cyberArk(ctx, ref)
	default:
		return Value{}, fmt.Errorf("secret %q: %w: scheme %q; use env:, file:, vault://, azurekv://, gcpsm://, awssm:// or cyberark://", ref, ErrUnsupported, scheme)
	}
	if err != nil {
		return Value{}, err
	}
	r.Redactor.Add(value)
	return Value{ref: ref, value: value}, ctx.Err()
}
