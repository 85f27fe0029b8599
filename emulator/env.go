package emulator

import (
	"fmt"
	"net"
	"os"
	"sort"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// Env returns the MAILSCRIPT_* settings (design.md section 2) that point mailscript, or any
// tool, at this emulator with the first seeded app, mailbox, service account and user.
func (s *Server) Env() map[string]string {
	env := map[string]string{
		"MAILSCRIPT_LOGIN_URL": s.url,
		"MAILSCRIPT_GRAPH_URL": s.url,
		"MAILSCRIPT_GMAIL_URL": s.url + "/",
	}
	host, port, _ := net.SplitHostPort(s.smtp.Addr())
	env["MAILSCRIPT_SMTP_HOST"], env["MAILSCRIPT_SMTP_PORT"] = host, port
	if s.caFile != "" {
		env["MAILSCRIPT_CA_FILE"] = s.caFile
	}
	if len(s.seed.Tenants) > 0 {
		t := s.seed.Tenants[0]
		env["MAILSCRIPT_M365_TENANT_ID"] = t.ID
		if len(t.Apps) > 0 {
			env["MAILSCRIPT_M365_CLIENT_ID"] = t.Apps[0].ClientID
			env["MAILSCRIPT_M365_CLIENT_SECRET"] = t.Apps[0].Secret
		}
	}
	if mb := s.firstMailbox(store.Microsoft); mb != "" {
		env["MAILSCRIPT_M365_MAILBOX"] = mb
	}
	if len(s.keyOrder) > 0 {
		env["MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"] = s.keys[s.keyOrder[0]].path
	}
	if mb := s.firstMailbox(store.Google); mb != "" {
		env["MAILSCRIPT_GOOGLE_USER"] = mb
	}
	return env
}

func (s *Server) firstMailbox(kind store.Kind) string {
	for _, mb := range s.seed.Mailboxes {
		if m, ok := s.store.Mailbox(mb.Address); ok && m.Kind == kind {
			return m.Address
		}
	}
	return ""
}

// WriteEnvFile writes Env as sorted KEY=VALUE lines (mode 0600: it holds a client secret),
// for `mailscript run --env-file FILE` and other tools.
func (s *Server) WriteEnvFile(path string) error {
	env := s.Env()
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# mailscript emulator at " + s.url + "\n")
	for _, k := range keys {
		b.WriteString(k + "=" + env[k] + "\n")
	}
	// Written aside and renamed, so that a script waiting for the file never reads half of it.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("emulator: write env file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("emulator: write env file: %w", err)
	}
	return nil
}

// Banner is the startup text: URLs, seeded credentials and mailboxes, and where the Google key
// file is.
func (s *Server) Banner() string {
	env := s.Env()
	var b strings.Builder
	fmt.Fprintf(&b, "mailscript emulator listening on %s\n\n", s.url)
	b.WriteString("Microsoft Entra ID + Graph\n")
	fmt.Fprintf(&b, "  login URL      %s   (token: %s/{tenant}/oauth2/v2.0/token)\n", s.url, s.url)
	fmt.Fprintf(&b, "  Graph URL      %s/v1.0\n", s.url)
	for _, t := range s.seed.Tenants {
		fmt.Fprintf(&b, "  tenant         %s (%s)\n", t.ID, strings.Join(t.Domains, ", "))
		for _, a := range t.Apps {
			fmt.Fprintf(&b, "  app            %s  client id %s  secret %s  permissions %s\n", a.DisplayName, a.ClientID, a.Secret, strings.Join(a.Permissions, " "))
		}
	}
	fmt.Fprintf(&b, "  mailboxes      %s\n", strings.Join(s.mailboxesOf(store.Microsoft), ", "))
	b.WriteString("Google OAuth + Gmail\n")
	fmt.Fprintf(&b, "  Gmail URL      %s/gmail/v1\n", s.url)
	for _, email := range s.keyOrder {
		fmt.Fprintf(&b, "  service acct   %s\n  key file       %s\n", email, s.keys[email].path)
	}
	fmt.Fprintf(&b, "  users          %s\n", strings.Join(s.mailboxesOf(store.Google), ", "))
	b.WriteString("SMTP (an application's mail, delivered by envelope recipient; unknown addresses go to the sink)\n")
	fmt.Fprintf(&b, "  SMTP           %s", s.smtp.Addr())
	switch {
	case s.cfg.SMTPUser != "":
		fmt.Fprintf(&b, "   AUTH required: user %s, or XOAUTH2 with an emulator token", s.cfg.SMTPUser)
	default:
		b.WriteString("   AUTH optional: any PLAIN/LOGIN credentials, or XOAUTH2 with an emulator token")
	}
	if s.cfg.TLS {
		b.WriteString(", STARTTLS")
	}
	b.WriteString("\n")
	if s.caFile != "" {
		fmt.Fprintf(&b, "TLS CA           %s   (Node: NODE_EXTRA_CA_CERTS, Python: REQUESTS_CA_BUNDLE / SSL_CERT_FILE)\n", s.caFile)
	}
	fmt.Fprintf(&b, "Viewer           %s/   (web UI: mailboxes, sink, live message list, faults)\n", s.url)
	fmt.Fprintf(&b, "Inspect          %s/_emulator/   (sink: %s/_emulator/sink)\n", s.url, s.url)
	fmt.Fprintf(&b, "Faults           %s   (change them in the viewer or with PUT %s/_emulator/faults)\n", s.CurrentFaults().Summary(), s.url)
	b.WriteString("\nEnvironment for mailscript and other tools:\n")
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s=%s\n", k, env[k])
	}
	return b.String()
}

func (s *Server) mailboxesOf(kind store.Kind) []string {
	var out []string
	for _, mb := range s.seed.Mailboxes {
		if m, ok := s.store.Mailbox(mb.Address); ok && m.Kind == kind {
			out = append(out, m.Address)
		}
	}
	return out
}
