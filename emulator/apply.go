package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mailscript/mailscript/emulator/gmail"
	"github.com/mailscript/mailscript/emulator/store"
)

// googleKey is a generated service account key, kept across resets so key files stay valid.
type googleKey struct {
	key   *rsa.PrivateKey
	keyID string
	path  string
}

// applySeed loads s.seed into the (empty) store. Generated secrets and keys are remembered in
// the seed and in s.keys so that a reset gives the same credentials.
func (s *Server) applySeed() error {
	st, seed := s.store, s.seed
	for ti := range seed.Tenants {
		t := &seed.Tenants[ti]
		tn, err := st.AddTenant(store.Tenant{ID: t.ID, Name: t.Name, Domains: t.Domains})
		if err != nil {
			return fmt.Errorf("emulator: seed tenant %q: %w", t.Name, err)
		}
		t.ID = tn.ID
		for ai := range t.Apps {
			a := &t.Apps[ai]
			if a.Secret == "" {
				a.Secret = randomSecret()
			}
			app := store.App{TenantID: tn.ID, ClientID: a.ClientID, DisplayName: a.DisplayName, Secrets: []string{a.Secret}, Permissions: a.Permissions}
			for _, p := range a.Certificates {
				c, err := loadCertificate(p, s.cfg.SeedDir)
				if err != nil {
					return err
				}
				app.Certificates = append(app.Certificates, c)
			}
			added, err := st.AddApp(app)
			if err != nil {
				return fmt.Errorf("emulator: seed app %q: %w", a.DisplayName, err)
			}
			a.ClientID = added.ClientID
		}
	}
	for _, d := range seed.GoogleDomains {
		if _, err := st.AddGoogleDomain(store.GoogleDomain{Domain: d.Domain}); err != nil {
			return fmt.Errorf("emulator: seed Google domain: %w", err)
		}
		for _, sa := range d.ServiceAccounts {
			if err := s.addServiceAccount(d.Domain, sa); err != nil {
				return err
			}
		}
	}
	for _, mb := range seed.Mailboxes {
		if err := s.addMailbox(mb); err != nil {
			return err
		}
	}
	now := st.Now()
	for i, m := range seed.Messages {
		raw, err := m.content()
		if err != nil {
			return fmt.Errorf("emulator: seed message %d (%s): %w", i+1, m.Mailbox, err)
		}
		at, err := m.receivedAt(now)
		if err != nil {
			return fmt.Errorf("emulator: seed message %d (%s): %w", i+1, m.Mailbox, err)
		}
		folder, err := s.seedFolder(m.Mailbox, m.Folder)
		if err != nil {
			return err
		}
		if _, err := st.Insert(m.Mailbox, raw, store.InsertOptions{Folder: folder, IsRead: m.IsRead, ReceivedAt: at}); err != nil {
			return fmt.Errorf("emulator: seed message %d (%s): %w", i+1, m.Mailbox, err)
		}
	}
	return nil
}

func (s *Server) addMailbox(mb SeedMailbox) error {
	m := store.Mailbox{Address: mb.Address, DisplayName: mb.DisplayName}
	switch strings.ToLower(mb.Kind) {
	case "microsoft", "microsoft365", "m365":
		m.Kind = store.Microsoft
		t, ok := s.store.Tenant(mb.Tenant)
		if !ok && mb.Tenant == "" && len(s.seed.Tenants) > 0 {
			t, ok = s.store.Tenant(s.seed.Tenants[0].ID)
		}
		if !ok {
			return fmt.Errorf("emulator: seed mailbox %s: tenant %q is not seeded", mb.Address, mb.Tenant)
		}
		m.TenantID = t.ID
	case "google":
		m.Kind = store.Google
		domain := mb.Address[strings.LastIndex(mb.Address, "@")+1:]
		if _, ok := s.store.GoogleDomain(domain); !ok {
			return fmt.Errorf("emulator: seed mailbox %s: Google domain %q is not seeded", mb.Address, domain)
		}
	default:
		return fmt.Errorf("emulator: seed mailbox %s: kind %q must be \"microsoft\" or \"google\"", mb.Address, mb.Kind)
	}
	if _, err := s.store.AddMailbox(m); err != nil {
		return fmt.Errorf("emulator: seed mailbox: %w", err)
	}
	return nil
}

// seedFolder resolves a seed folder as the inspection API does (findFolder: "sent", "sentitems",
// "SENT", a display name...), creating a custom folder when none matches.
func (s *Server) seedFolder(mailbox, name string) (string, error) {
	if name == "" {
		return store.Inbox, nil
	}
	id, _, err := s.findFolder(mailbox, name)
	if err != nil {
		return "", fmt.Errorf("emulator: seed: %w", err)
	}
	if id != "" {
		return id, nil
	}
	f, err := s.store.CreateFolder(mailbox, name, "")
	if err != nil {
		return "", fmt.Errorf("emulator: seed folder %q: %w", name, err)
	}
	return f.ID, nil
}

func (s *Server) addServiceAccount(domain string, sa SeedServiceAccount) error {
	if s.keys == nil {
		s.keys = map[string]*googleKey{}
	}
	k := s.keys[sa.ClientEmail]
	if k == nil {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return fmt.Errorf("emulator: generate service account key: %w", err)
		}
		id := make([]byte, 20)
		_, _ = rand.Read(id)
		name := strings.NewReplacer("@", "_at_", "/", "_").Replace(sa.ClientEmail) + ".json"
		k = &googleKey{key: key, keyID: hex.EncodeToString(id), path: filepath.Join(s.keyDir, name)}
		s.keys[sa.ClientEmail] = k
		s.keyOrder = append(s.keyOrder, sa.ClientEmail)
	}
	added, err := s.store.AddServiceAccount(store.ServiceAccount{
		ClientEmail: sa.ClientEmail, PrivateKeyID: k.keyID, ProjectID: projectOf(sa.ClientEmail),
		PublicKey: &k.key.PublicKey, Delegations: map[string][]string{strings.ToLower(domain): sa.Scopes},
	})
	if err != nil {
		return fmt.Errorf("emulator: seed service account %s: %w", sa.ClientEmail, err)
	}
	return s.writeKeyFile(k, added)
}

func projectOf(email string) string {
	host := email[strings.LastIndex(email, "@")+1:]
	return strings.TrimSuffix(host, ".iam.gserviceaccount.com")
}

// writeKeyFile writes the service account key in Google's JSON key format, token_uri pointing
// at the emulator.
func (s *Server) writeKeyFile(k *googleKey, sa store.ServiceAccount) error {
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		return fmt.Errorf("emulator: encode service account key: %w", err)
	}
	doc := map[string]string{
		"type":                        "service_account",
		"project_id":                  sa.ProjectID,
		"private_key_id":              k.keyID,
		"private_key":                 string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":                sa.ClientEmail,
		"client_id":                   sa.ClientID,
		"auth_uri":                    s.URL() + "/google/o/oauth2/auth",
		"token_uri":                   s.URL() + gmail.TokenPath,
		"auth_provider_x509_cert_url": s.URL() + "/google/oauth2/v1/certs",
		"universe_domain":             "googleapis.com",
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	if err := os.WriteFile(k.path, b, 0o600); err != nil {
		return fmt.Errorf("emulator: write service account key file: %w (set KeyDir / --key-dir to a writable folder)", err)
	}
	return nil
}

func randomSecret() string {
	b := make([]byte, 30)
	_, _ = rand.Read(b)
	return "emu~" + base64.RawURLEncoding.EncodeToString(b)
}

func loadCertificate(path, dir string) (store.Certificate, error) {
	if !filepath.IsAbs(path) && dir != "" {
		path = filepath.Join(dir, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return store.Certificate{}, fmt.Errorf("emulator: seed certificate: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return store.Certificate{}, fmt.Errorf("emulator: seed certificate %s: no PEM CERTIFICATE block", path)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return store.Certificate{}, fmt.Errorf("emulator: seed certificate %s: %w", path, err)
	}
	return store.NewCertificate(c), nil
}
