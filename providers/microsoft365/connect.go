package microsoft365

import (
	"crypto/tls"
	"net/url"
	"os"
	"strings"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/secrets"
)

// Name is the provider name scripts pass to mail.connect.
const Name = "microsoft365"

// The environment fallbacks of the connect options.
const (
	EnvTenantID     = "MAILSCRIPT_M365_TENANT_ID"
	EnvClientID     = "MAILSCRIPT_M365_CLIENT_ID"
	EnvClientSecret = "MAILSCRIPT_M365_CLIENT_SECRET"
	EnvMailbox      = "MAILSCRIPT_M365_MAILBOX"
	EnvCloud        = "MAILSCRIPT_M365_CLOUD"
	EnvCertPath     = "MAILSCRIPT_M365_CERTIFICATE_PATH"
	EnvCertPassword = "MAILSCRIPT_M365_CERTIFICATE_PASSWORD"
	EnvLoginURL     = "MAILSCRIPT_LOGIN_URL"
	EnvGraphURL     = "MAILSCRIPT_GRAPH_URL"
)

// clouds maps the cloud option to its Entra login root and Graph root.
var clouds = map[string][2]string{
	"global":    {"https://login.microsoftonline.com", "https://graph.microsoft.com"},
	"usgov":     {"https://login.microsoftonline.us", "https://graph.microsoft.us"},
	"usgov-dod": {"https://login.microsoftonline.us", "https://dod-graph.microsoft.us"},
	"china":     {"https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"},
}

// config is a validated connection: everything Connect checked, nothing fetched yet.
type config struct {
	tenantID  string
	clientID  string
	secret    string
	cert      *certificate
	mailbox   string
	loginRoot string // scheme://host[/path], no trailing slash
	graphRoot string
	tls       *tls.Config // nil: the system roots
	shared    *providers.Shared
}

// Connect validates opts (falling back to env) and returns a Mailbox that authenticates on
// first use. It is a providers.ConnectFunc.
func Connect(opts providers.Options, env providers.Env, shared *providers.Shared) (providers.Mailbox, error) {
	cfg, err := parseConfig(opts, env, shared.Redactor())
	if err != nil {
		return nil, err
	}
	cfg.shared = shared
	m, err := newMailbox(cfg)
	if err != nil {
		return nil, err
	}
	return m, nil
}

func parseConfig(opts providers.Options, env providers.Env, redactor *secrets.Redactor) (*config, error) {
	if env == nil {
		env = os.Getenv
	}
	if err := opts.Check("tenantId", "clientId", "clientSecret", "certificate", "mailbox", "cloud", "loginUrl", "graphUrl"); err != nil {
		return nil, err
	}
	cfg := &config{}
	required := []struct {
		field, envKey string
		dst           *string
	}{
		{"tenantId", EnvTenantID, &cfg.tenantID},
		{"clientId", EnvClientID, &cfg.clientID},
		{"mailbox", EnvMailbox, &cfg.mailbox},
	}
	// Every missing setting is named at once, each with its option and variable, so that a
	// first run on a new machine is fixed in one go.
	var missing []string
	for _, r := range required {
		v, err := opts.String(r.field, env, r.envKey)
		if err != nil {
			return nil, err
		}
		if *r.dst = strings.TrimSpace(v); *r.dst == "" {
			missing = append(missing, r.field+" ("+r.envKey+")")
		}
	}
	secret, err := opts.String("clientSecret", env, EnvClientSecret)
	if err != nil {
		return nil, err
	}
	// A secret given as plain text (the option, a profile literal or the environment) is masked
	// like a resolved secret() from here on.
	cfg.secret = secret
	redactor.Add(secret)
	if cfg.cert, err = certificateOption(opts, env, redactor); err != nil {
		return nil, err
	}
	if cfg.secret == "" && cfg.cert == nil {
		missing = append(missing, "clientSecret ("+EnvClientSecret+") or certificate {path, password} ("+EnvCertPath+")")
	}
	if len(missing) > 0 {
		return nil, &providers.OptionError{Field: strings.Fields(missing[0])[0], Problem: "missing settings: " + strings.Join(missing, ", ") +
			"; pass them to mail.connect, set the environment variables (or --env-file), or run with --emulator to use the built-in emulator"}
	}
	if cfg.loginRoot, cfg.graphRoot, err = endpoints(opts, env); err != nil {
		return nil, err
	}
	if cfg.tls, err = providers.TLSConfig(env); err != nil {
		return nil, err
	}
	return cfg, nil
}

// endpoints picks the login and Graph roots: an explicit option, else the environment (so
// that --emulator redirects unchanged scripts), else the cloud's hosts.
func endpoints(opts providers.Options, env providers.Env) (login, graph string, err error) {
	cloud, err := opts.String("cloud", env, EnvCloud)
	if err != nil {
		return "", "", err
	}
	if cloud == "" {
		cloud = "global"
	}
	hosts, ok := clouds[strings.ToLower(cloud)]
	if !ok {
		return "", "", &providers.OptionError{Field: "cloud", Problem: "unknown cloud " + cloud + "; use global, usgov, usgov-dod or china"}
	}
	roots := [2]string{}
	for i, o := range []struct{ field, envKey string }{{"loginUrl", EnvLoginURL}, {"graphUrl", EnvGraphURL}} {
		v, err := opts.String(o.field, env, o.envKey)
		if err != nil {
			return "", "", err
		}
		if v == "" {
			v = hosts[i]
		}
		if roots[i], err = checkRoot(o.field, o.envKey, v); err != nil {
			return "", "", err
		}
	}
	return roots[0], roots[1], nil
}

// checkRoot accepts https URLs, and http only on loopback, so a token never crosses a network
// in clear text.
func checkRoot(field, envKey, raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return "", &providers.OptionError{Field: field, Problem: "must be an absolute https:// URL like https://graph.microsoft.com (check " + envKey + ")"}
	}
	if u.Scheme == "http" && !providers.IsLoopback(u.Hostname()) {
		return "", &providers.OptionError{Field: field, Problem: "http:// is only allowed for loopback hosts; use https:// (check " + envKey + ")"}
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/"), nil
}
