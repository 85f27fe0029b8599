package google

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// serviceAccountKey holds the fields of a service account JSON key that mailscript uses.
type serviceAccountKey struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	ClientEmail  string `json:"client_email"`
	ClientID     string `json:"client_id"`
	PrivateKey   string `json:"private_key"`
	PrivateKeyID string `json:"private_key_id"`
	TokenURI     string `json:"token_uri"`
}

// project names the Cloud project whose quota the key draws on; a key without project_id
// falls back to its service account, which belongs to exactly one project.
func (k *serviceAccountKey) project() string {
	if k.ProjectID != "" {
		return k.ProjectID
	}
	return k.ClientEmail
}

// defaultTokenURI is Google's token endpoint, used when a key has no token_uri.
const defaultTokenURI = "https://oauth2.googleapis.com/token"

// parseKey validates a service account key before any request is made, so that a wrong file
// fails at mail.connect with a message naming field (the option it came from) and what to do.
// Secret parts are registered for redaction first, so no later error or log can show them.
func parseKey(data []byte, field, origin string, redactor *secrets.Redactor) (*serviceAccountKey, error) {
	bad := func(format string, args ...any) error {
		return &providers.OptionError{Field: field, Problem: origin + fmt.Sprintf(format, args...)}
	}
	var k serviceAccountKey
	if err := json.Unmarshal(data, &k); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, bad("is not valid JSON (syntax error at byte %d): pass the service account key file Google Cloud gave you", syn.Offset)
		}
		return nil, bad("is not a service account key (%v)", err)
	}
	redactor.AddCredential(string(data))
	redactor.Add(k.PrivateKey) // and each line of the PEM
	redactor.Add(k.PrivateKeyID)
	switch {
	case k.Type == "authorized_user":
		return nil, bad("is an OAuth user credential (type authorized_user), not a service account key: create a key for a service account in Google Cloud console > IAM & Admin > Service accounts > Keys")
	case k.Type != "service_account":
		return nil, bad("is not a service account key (type is %q, want \"service_account\"): create a JSON key in Google Cloud console > IAM & Admin > Service accounts > Keys", k.Type)
	case k.ClientEmail == "":
		return nil, bad("has no client_email: download the service account key again")
	case strings.TrimSpace(k.PrivateKey) == "":
		return nil, bad("has no private_key: download a new JSON key for the service account (keys cannot be downloaded twice)")
	}
	if err := checkPrivateKey(k.PrivateKey); err != nil {
		return nil, bad("has a malformed private_key (%v): download a new JSON key for the service account", err)
	}
	if k.TokenURI == "" {
		k.TokenURI = defaultTokenURI
	}
	if _, err := checkURL(k.TokenURI); err != nil {
		return nil, bad("has an unusable token_uri: %v", err)
	}
	return &k, nil
}

// checkPrivateKey parses the PEM the way golang.org/x/oauth2/jwt will, so that a broken key
// is reported at connect rather than at the first call.
func checkPrivateKey(p string) error {
	block, _ := pem.Decode([]byte(p))
	if block == nil {
		return errors.New("no PEM block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		if _, err1 := x509.ParsePKCS1PrivateKey(block.Bytes); err1 != nil {
			return errors.New("not a PKCS#8 or PKCS#1 RSA key")
		}
		return nil
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return errors.New("not an RSA key")
	}
	return nil
}

// checkURL accepts https URLs, and http only for loopback hosts (the emulator), so that a token
// never crosses the network in clear text.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL", raw)
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if providers.IsLoopback(u.Hostname()) {
			return u, nil
		}
		return nil, fmt.Errorf("%q uses plain http to a non-loopback host; use https", raw)
	}
	return nil, fmt.Errorf("%q must be an https URL", raw)
}
