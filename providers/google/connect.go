package google

import (
	"crypto/tls"
	"fmt"
	"math"
	"net/mail"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// Name is the provider name scripts pass to mail.connect.
const Name = "google"

// The environment fallbacks of the connect options.
const (
	EnvCredentials     = "MAILSCRIPT_GOOGLE_CREDENTIALS"
	EnvCredentialsFile = "MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"
	EnvUser            = "MAILSCRIPT_GOOGLE_USER"
	EnvScopes          = "MAILSCRIPT_GOOGLE_SCOPES"
	EnvGmailURL        = "MAILSCRIPT_GMAIL_URL"
	EnvQuotaRate       = "MAILSCRIPT_GOOGLE_QUOTA_UNITS_PER_SECOND"
)

// ScopeModify is the default scope: read, send, label and trash, but not delete for good.
// ScopeFull (https://mail.google.com/) is what permanent deletion needs.
const (
	ScopeModify = "https://www.googleapis.com/auth/gmail.modify"
	ScopeFull   = "https://mail.google.com/"
)

const defaultGmailURL = "https://gmail.googleapis.com/"

// config is a validated connection: everything a mailbox needs before its first request.
type config struct {
	key       *serviceAccountKey
	keyJSON   []byte
	user      string
	scopes    []string
	gmailURL  string      // with a trailing slash
	quotaRate float64     // Gmail quota units per second for this user
	tls       *tls.Config // nil: the system roots
	shared    *providers.Shared
}

// Connect is the providers.ConnectFunc of the Google provider. It validates every option and
// the key itself without touching the network; the token is fetched on first use.
func Connect(opts providers.Options, env providers.Env, shared *providers.Shared) (providers.Mailbox, error) {
	cfg, err := parseOptions(opts, env, shared)
	if err != nil {
		return nil, err
	}
	return newMailbox(cfg)
}

func parseOptions(opts providers.Options, env providers.Env, shared *providers.Shared) (*config, error) {
	if err := opts.Check("credentials", "credentialsFile", "user", "scopes", "gmailUrl"); err != nil {
		return nil, err
	}
	if err := missingSettings(opts, env); err != nil {
		return nil, err
	}
	cfg := &config{shared: shared}
	var err error
	if cfg.keyJSON, cfg.key, err = credentials(opts, env, shared.Redactor()); err != nil {
		return nil, err
	}
	if cfg.user, err = opts.String("user", env, EnvUser); err != nil {
		return nil, err
	}
	cfg.user = strings.TrimSpace(cfg.user)
	if cfg.user == "" {
		return nil, &providers.OptionError{Field: "user", Problem: "required: the Google Workspace mailbox to impersonate through domain-wide delegation, like qa@yourdomain.com (or set " + EnvUser + ")"}
	}
	if a, err := mail.ParseAddress(cfg.user); err != nil || a.Address != cfg.user {
		return nil, &providers.OptionError{Field: "user", Problem: fmt.Sprintf("%q is not an e-mail address: give the mailbox's primary address, like qa@yourdomain.com", cfg.user)}
	}
	if cfg.scopes, err = scopes(opts, env); err != nil {
		return nil, err
	}
	raw, err := opts.String("gmailUrl", env, EnvGmailURL)
	if err != nil {
		return nil, err
	}
	if raw = strings.TrimSpace(raw); raw == "" {
		raw = defaultGmailURL
	}
	u, err := checkURL(raw)
	if err != nil {
		return nil, &providers.OptionError{Field: "gmailUrl", Problem: err.Error() + ": give the Gmail API root, like " + defaultGmailURL}
	}
	cfg.gmailURL = strings.TrimRight(u.String(), "/") + "/"
	if cfg.quotaRate, err = quotaRate(env); err != nil {
		return nil, err
	}
	if cfg.tls, err = providers.TLSConfig(env); err != nil {
		return nil, err
	}
	return cfg, nil
}

// missingSettings names every required setting that is absent at once, with its option and
// variable, so that a first run on a new machine is fixed in one go.
func missingSettings(opts providers.Options, env providers.Env) error {
	set := func(option string, envKeys ...string) bool {
		if v, ok := opts[option]; ok && v != nil && v != "" {
			return true
		}
		for _, k := range envKeys {
			if env != nil && strings.TrimSpace(env(k)) != "" {
				return true
			}
		}
		return false
	}
	var missing []string
	if !set("credentials", EnvCredentials, EnvCredentialsFile) && !set("credentialsFile") {
		missing = append(missing, "credentials or credentialsFile ("+EnvCredentials+" or "+EnvCredentialsFile+")")
	}
	if !set("user", EnvUser) {
		missing = append(missing, "user ("+EnvUser+")")
	}
	if len(missing) == 0 {
		return nil
	}
	return &providers.OptionError{Field: strings.Fields(missing[0])[0], Problem: "missing settings: " + strings.Join(missing, ", ") +
		"; pass them to mail.connect, set the environment variables (or --env-file), or run with --emulator to use the built-in emulator"}
}

// quotaRate reads EnvQuotaRate, which has no script option: it describes the Cloud project and
// the machines sharing a mailbox, not one script.
func quotaRate(env providers.Env) (float64, error) {
	raw := ""
	if env != nil {
		raw = strings.TrimSpace(env(EnvQuotaRate))
	}
	if raw == "" {
		return defaultQuotaRate, nil
	}
	rate, err := strconv.ParseFloat(raw, 64)
	if err != nil || rate <= 0 || math.IsInf(rate, 0) {
		return 0, &providers.OptionError{Field: EnvQuotaRate, Problem: fmt.Sprintf("%q is not a positive number: give Gmail quota units per user per second, like 250 (Gmail's default), or 125 for each of two machines sharing the mailbox", raw)}
	}
	return rate, nil
}

// credentials returns the key JSON from the credentials option (text or a secret), the
// credentialsFile option, or their environment fallbacks, in that order.
func credentials(opts providers.Options, env providers.Env, redactor *secrets.Redactor) ([]byte, *serviceAccountKey, error) {
	text, err := opts.String("credentials", nil, "")
	if err != nil {
		return nil, nil, err
	}
	file, err := opts.String("credentialsFile", nil, "")
	if err != nil {
		return nil, nil, err
	}
	field, origin := "credentials", ""
	switch {
	case text != "" && file != "":
		return nil, nil, &providers.OptionError{Field: "credentials", Problem: "give either credentials or credentialsFile, not both"}
	case text == "" && file == "" && env != nil:
		if text = env(EnvCredentials); text != "" {
			origin = "(from " + EnvCredentials + ") "
		} else if file = env(EnvCredentialsFile); file != "" {
			origin = "(from " + EnvCredentialsFile + ") "
		}
	}
	if file != "" {
		field = "credentialsFile"
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, &providers.OptionError{Field: field, Problem: fmt.Sprintf("%scannot read the key file %q: %v", origin, file, unwrapPathError(err))}
		}
		text = string(data)
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil, &providers.OptionError{Field: "credentials", Problem: "required: the service account's JSON key, as credentials (text or secret('...')) or credentialsFile (a path), or set " + EnvCredentials + " or " + EnvCredentialsFile}
	}
	key, err := parseKey([]byte(text), field, origin, redactor)
	if err != nil {
		return nil, nil, err
	}
	return []byte(text), key, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// scopes accepts a list of strings or one string of space- or comma-separated scopes; short
// names like "gmail.modify" are expanded to the full URL Google expects.
func scopes(opts providers.Options, env providers.Env) ([]string, error) {
	var list []string
	switch v := opts["scopes"].(type) {
	case nil:
		if env != nil {
			list = strings.FieldsFunc(env(EnvScopes), isScopeSep)
		}
	case string:
		list = strings.FieldsFunc(v, isScopeSep)
	case []string:
		list = v
	case []any:
		for i, s := range v {
			str, ok := s.(string)
			if !ok {
				return nil, &providers.OptionError{Field: "scopes", Problem: fmt.Sprintf("element %d must be a string, got %T", i, s)}
			}
			list = append(list, str)
		}
	default:
		return nil, &providers.OptionError{Field: "scopes", Problem: fmt.Sprintf("must be a list of scope strings, got %T", v)}
	}
	if len(list) == 0 {
		return []string{ScopeModify}, nil
	}
	out := make([]string, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s != "" && !strings.Contains(s, "://") {
			s = "https://www.googleapis.com/auth/" + s
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func isScopeSep(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' }
