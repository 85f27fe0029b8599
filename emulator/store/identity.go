package store

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// Tenant is a Microsoft Entra tenant: a GUID and the domains it owns.
type Tenant struct {
	ID      string // GUID, generated when empty
	Name    string
	Domains []string // e.g. contoso.onmicrosoft.com, contoso.com
}

// App is an Entra application registration with its credentials and the application
// permissions (Graph roles such as Mail.Read, Mail.ReadWrite, Mail.Send) an admin granted.
type App struct {
	TenantID     string
	ClientID     string // GUID, generated when empty
	DisplayName  string
	Secrets      []string
	Certificates []Certificate
	Permissions  []string
}

// Certificate is an app's registered certificate, known by its public key and thumbprints
// (the x5t / x5t#S256 header values of client assertions).
type Certificate struct {
	Cert       *x509.Certificate
	PublicKey  crypto.PublicKey
	Thumbprint string // base64url SHA-1 of the DER certificate (x5t)
	SHA256     string // base64url SHA-256 of the DER certificate (x5t#S256)
}

// NewCertificate describes an x509 certificate the way Entra stores it.
func NewCertificate(c *x509.Certificate) Certificate {
	s1, s256 := sha1.Sum(c.Raw), sha256.Sum256(c.Raw)
	return Certificate{
		Cert: c, PublicKey: c.PublicKey,
		Thumbprint: base64.RawURLEncoding.EncodeToString(s1[:]),
		SHA256:     base64.RawURLEncoding.EncodeToString(s256[:]),
	}
}

// GoogleDomain is a Google Workspace domain; its users are the Google mailboxes whose Domain
// matches.
type GoogleDomain struct {
	Domain     string
	CustomerID string
}

// ServiceAccount is a Google service account with its public key and the scopes each domain
// granted it by domain-wide delegation.
type ServiceAccount struct {
	ClientEmail  string
	ClientID     string // numeric string, generated when empty
	PrivateKeyID string
	ProjectID    string
	PublicKey    *rsa.PublicKey
	// Delegations maps a Workspace domain to the OAuth scopes granted there.
	Delegations map[string][]string
}

// AddTenant registers a tenant; it returns it with its id filled in.
func (s *Store) AddTenant(t Tenant) (Tenant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.ID == "" {
		t.ID = s.ids.guid()
	}
	if _, dup := s.tenants[t.ID]; dup {
		return Tenant{}, fmt.Errorf("%w: tenant %s already exists", ErrInvalid, t.ID)
	}
	t.Domains = slices.Clone(t.Domains)
	s.tenants[t.ID] = &t
	return t, nil
}

// Tenant finds a tenant by id or by one of its domains (case-insensitive), as the token
// endpoint's {tenant} path segment allows.
func (s *Store) Tenant(ref string) (Tenant, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, t := range s.tenants {
		if strings.EqualFold(t.ID, ref) {
			return *t, true
		}
		for _, d := range t.Domains {
			if strings.EqualFold(d, ref) {
				return *t, true
			}
		}
	}
	return Tenant{}, false
}

// AddApp registers an app in an existing tenant; it returns it with its client id filled in.
func (s *Store) AddApp(a App) (App, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tenants[a.TenantID]; !ok {
		return App{}, fmt.Errorf("%w: tenant %q of app %q", ErrNotFound, a.TenantID, a.DisplayName)
	}
	if a.ClientID == "" {
		a.ClientID = s.ids.guid()
	}
	if _, dup := s.apps[strings.ToLower(a.ClientID)]; dup {
		return App{}, fmt.Errorf("%w: app %s already exists", ErrInvalid, a.ClientID)
	}
	s.apps[strings.ToLower(a.ClientID)] = &a
	return a, nil
}

// App finds an app by client id (any tenant; the caller checks App.TenantID).
func (s *Store) App(clientID string) (App, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.apps[strings.ToLower(clientID)]
	if !ok {
		return App{}, false
	}
	return *a, true
}

// AddGoogleDomain registers a Workspace domain.
func (s *Store) AddGoogleDomain(d GoogleDomain) (GoogleDomain, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.Domain == "" {
		return GoogleDomain{}, fmt.Errorf("%w: Google domain name must not be empty", ErrInvalid)
	}
	if d.CustomerID == "" {
		d.CustomerID = "C0" + strings.ToUpper(base64.RawURLEncoding.EncodeToString(s.ids.bytes(5)))[:7]
	}
	s.gdomains[strings.ToLower(d.Domain)] = &d
	return d, nil
}

// GoogleDomain finds a Workspace domain by name (case-insensitive).
func (s *Store) GoogleDomain(domain string) (GoogleDomain, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.gdomains[strings.ToLower(domain)]
	if !ok {
		return GoogleDomain{}, false
	}
	return *d, true
}

// AddServiceAccount registers a service account; ClientID is generated when empty.
func (s *Store) AddServiceAccount(sa ServiceAccount) (ServiceAccount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sa.ClientEmail == "" || sa.PublicKey == nil {
		return ServiceAccount{}, fmt.Errorf("%w: service account needs client_email and a public key", ErrInvalid)
	}
	if sa.ClientID == "" {
		// Google client ids are 21 digits.
		b := s.ids.bytes(10)
		sa.ClientID = "1"
		for _, x := range b {
			sa.ClientID += fmt.Sprintf("%02d", int(x)%100)
		}
		sa.ClientID = sa.ClientID[:21]
	}
	s.accounts[strings.ToLower(sa.ClientEmail)] = &sa
	return sa, nil
}

// ServiceAccount finds a service account by client_email or client_id.
func (s *Store) ServiceAccount(ref string) (ServiceAccount, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if sa, ok := s.accounts[strings.ToLower(ref)]; ok {
		return *sa, true
	}
	for _, sa := range s.accounts {
		if sa.ClientID == ref {
			return *sa, true
		}
	}
	return ServiceAccount{}, false
}
