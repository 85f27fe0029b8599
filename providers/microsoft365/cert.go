package microsoft365

import (
	"fmt"
	"os"

	"github.com/mailscript/mailscript/internal/entracert"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// certificate is an app credential loaded from PEM or PFX (see entracert).
type certificate = entracert.Certificate

// certificateOption reads the certificate option ({path, password} or a path string), falling
// back to MAILSCRIPT_M365_CERTIFICATE_PATH/_PASSWORD. No option means no certificate.
func certificateOption(opts providers.Options, env providers.Env, redactor *secrets.Redactor) (*certificate, error) {
	var path, password string
	switch v := opts["certificate"].(type) {
	case nil:
		path, password = env(EnvCertPath), env(EnvCertPassword)
	case string:
		path = v
	case map[string]any:
		sub := providers.Options(v)
		if err := sub.Check("path", "password"); err != nil {
			return nil, &providers.OptionError{Field: "certificate", Problem: "only path and password are allowed"}
		}
		var err error
		if path, err = sub.String("path", nil, ""); err != nil {
			return nil, &providers.OptionError{Field: "certificate.path", Problem: "must be a string"}
		}
		if password, err = sub.String("password", nil, ""); err != nil {
			return nil, &providers.OptionError{Field: "certificate.password", Problem: "must be a string or a secret()"}
		}
	default:
		return nil, &providers.OptionError{Field: "certificate", Problem: fmt.Sprintf("must be {path, password} or a path string, got %T", v)}
	}
	// Registered before any error can quote it, however it was given.
	redactor.Add(password)
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &providers.OptionError{Field: "certificate.path", Problem: "cannot read the certificate file: " + err.Error()}
	}
	cert, err := entracert.Parse(data, password)
	if err != nil {
		return nil, &providers.OptionError{Field: "certificate", Problem: path + ": " + err.Error()}
	}
	return cert, nil
}
