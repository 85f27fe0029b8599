package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// Seed describes the identities, mailboxes and messages the emulator starts with. A seed
// directory holds an optional seed.json in this shape plus .eml files: DIR/<address>/*.eml go to
// that mailbox's inbox, DIR/<address>/<folder>/*.eml to the named folder (well-known name or a
// custom folder, created on demand). Sections missing from seed.json take the default seed's.
type Seed struct {
	Tenants       []SeedTenant       `json:"tenants"`
	GoogleDomains []SeedGoogleDomain `json:"googleDomains"`
	Mailboxes     []SeedMailbox      `json:"mailboxes"`
	Messages      []SeedMessage      `json:"messages"`
}

// SeedTenant is an Entra tenant with its apps.
type SeedTenant struct {
	ID      string    `json:"id,omitempty"`
	Name    string    `json:"name"`
	Domains []string  `json:"domains"`
	Apps    []SeedApp `json:"apps"`
}

// SeedApp is an app registration. An empty Secret gets a random one; Certificates are paths of
// PEM certificates (relative to the seed directory) for certificate-assertion sign-in.
type SeedApp struct {
	ClientID     string   `json:"clientId,omitempty"`
	DisplayName  string   `json:"displayName"`
	Secret       string   `json:"secret,omitempty"`
	Certificates []string `json:"certificates,omitempty"`
	Permissions  []string `json:"permissions"`
}

// SeedGoogleDomain is a Workspace domain with service accounts; each account's private key is
// generated at start and written to the key directory.
type SeedGoogleDomain struct {
	Domain          string               `json:"domain"`
	ServiceAccounts []SeedServiceAccount `json:"serviceAccounts"`
}

// SeedServiceAccount is a service account and the scopes domain-wide delegation grants it.
type SeedServiceAccount struct {
	ClientEmail string   `json:"clientEmail"`
	Scopes      []string `json:"scopes"`
}

// SeedMailbox is a mailbox; Kind is "microsoft" (Tenant names its tenant by id or domain) or
// "google" (its domain must be a seeded Google domain).
type SeedMailbox struct {
	Address     string `json:"address"`
	DisplayName string `json:"displayName"`
	Kind        string `json:"kind"`
	Tenant      string `json:"tenant,omitempty"`
}

// SeedMessage is one message: Raw RFC 5322 text, or File (an .eml path relative to the seed
// directory). ReceivedAt is RFC 3339 or a negative duration from start ("-2h"); empty is now.
type SeedMessage struct {
	Mailbox    string `json:"mailbox"`
	Folder     string `json:"folder,omitempty"`
	IsRead     bool   `json:"isRead,omitempty"`
	ReceivedAt string `json:"receivedAt,omitempty"`
	Raw        string `json:"raw,omitempty"`
	File       string `json:"file,omitempty"`
	dir        string
}

func (m SeedMessage) receivedAt(now time.Time) (time.Time, error) {
	if m.ReceivedAt == "" {
		return now, nil
	}
	if d, err := time.ParseDuration(m.ReceivedAt); err == nil {
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, m.ReceivedAt)
	if err != nil {
		return time.Time{}, fmt.Errorf("receivedAt %q: want RFC 3339 (2026-01-02T15:04:05Z) or a duration like -2h", m.ReceivedAt)
	}
	return t, nil
}

func (m SeedMessage) content() ([]byte, error) {
	if m.Raw != "" {
		return []byte(m.Raw), nil
	}
	if m.File == "" {
		return nil, errors.New("a seed message needs raw or file")
	}
	path := m.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(m.dir, path)
	}
	return os.ReadFile(path)
}

func loadConfiguredSeed(dir string) (*Seed, error) {
	if dir == "" {
		return DefaultSeed(), nil
	}
	return LoadSeed(dir)
}

// LoadSeed reads a seed directory (see Seed).
func LoadSeed(dir string) (*Seed, error) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, fmt.Errorf("emulator: seed directory %q: not a readable directory (--seed DIR wants a folder of seed.json and .eml files)", dir)
	}
	def := DefaultSeed()
	seed := &Seed{}
	if b, err := os.ReadFile(filepath.Join(dir, "seed.json")); err == nil {
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(seed); err != nil {
			return nil, fmt.Errorf("emulator: %s: %w", filepath.Join(dir, "seed.json"), err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if seed.Tenants == nil {
		seed.Tenants = def.Tenants
	}
	if seed.GoogleDomains == nil {
		seed.GoogleDomains = def.GoogleDomains
	}
	if seed.Mailboxes == nil {
		seed.Mailboxes = def.Mailboxes
	}
	for i := range seed.Messages {
		seed.Messages[i].dir = dir
	}
	listed := map[string]bool{} // .eml files seed.json names, which may lie anywhere
	for _, m := range seed.Messages {
		if m.File != "" && !filepath.IsAbs(m.File) {
			listed[filepath.Clean(m.File)] = true
		}
	}
	emls, err := findEML(dir, seed.Mailboxes, listed)
	if err != nil {
		return nil, err
	}
	seed.Messages = append(seed.Messages, emls...)
	return seed, nil
}

// findEML collects DIR/<address>[/<folder>]/*.eml, in name order. The address folder matches
// a mailbox in any case, as addresses do. What would be left out silently is refused: an
// .eml beside the address folders, or a folder named after no mailbox (a typo, or a mailbox
// seed.json does not declare). listed are the files seed.json names, which stay where they are.
func findEML(dir string, mailboxes []SeedMailbox, listed map[string]bool) ([]SeedMessage, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("emulator: seed %s: %w", dir, err)
	}
	var addresses []string
	for _, mb := range mailboxes {
		addresses = append(addresses, mb.Address)
	}
	var out []SeedMessage
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || name == "seed.json" {
			continue
		}
		if !e.IsDir() {
			if strings.EqualFold(filepath.Ext(name), ".eml") && !listed[name] {
				return nil, fmt.Errorf("emulator: seed %s: a message goes in its mailbox's folder (DIR/<address>/%s), or seed.json names it with its mailbox", filepath.Join(dir, name), name)
			}
			continue
		}
		i := slices.IndexFunc(addresses, func(a string) bool { return strings.EqualFold(a, name) })
		if i < 0 && !strings.Contains(name, "@") {
			continue // not meant as a mailbox: a folder of files seed.json names, say
		}
		if i < 0 {
			return nil, fmt.Errorf("emulator: seed folder %s is named after no mailbox (%s): rename it after one, or declare the mailbox in seed.json", filepath.Join(dir, name), strings.Join(addresses, ", "))
		}
		root := filepath.Join(dir, name)
		var files []string
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".eml") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("emulator: seed %s: %w", root, err)
		}
		sort.Strings(files)
		for _, p := range files {
			folder := ""
			if rel, _ := filepath.Rel(root, filepath.Dir(p)); rel != "." {
				folder = filepath.ToSlash(rel)
			}
			out = append(out, SeedMessage{Mailbox: addresses[i], Folder: folder, File: p})
		}
	}
	return out, nil
}
