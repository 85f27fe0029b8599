package microsoft365

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"sync"

	"github.com/mailscript/mailscript/providers"
)

// wellKnown maps the names scripts use (the contract's and Graph's own) to Graph's
// well-known folder names; wellKnownNames is the contract name of each Graph folder.
var (
	wellKnown = map[string]string{
		"inbox": "inbox", "sent": "sentitems", "sentitems": "sentitems", "drafts": "drafts",
		"trash": "deleteditems", "deleteditems": "deleteditems", "deleted": "deleteditems",
		"archive": "archive", "junk": "junkemail", "junkemail": "junkemail", "spam": "junkemail",
		"outbox": "outbox",
	}
	wellKnownNames = map[string]string{
		"inbox": "inbox", "sentitems": "sent", "drafts": "drafts", "deleteditems": "trash",
		"archive": "archive", "junkemail": "junk",
	}
)

// folderCache remembers the mailbox's folders: well-known folder ids do not change, and the
// listing is refreshed when a name is not found in it.
type folderCache struct {
	mu     sync.Mutex
	loaded bool
	list   []providers.Folder
	// named maps folder ids to names learnt from listing a folder's messages (their
	// parentFolderId), so that reading them needs no folder lookup.
	named sync.Map
}

type graphFolder struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Total       int    `json:"totalItemCount"`
	Unread      int    `json:"unreadItemCount"`
}

// loadFolders fetches the top-level folders and the ids of the well-known ones in one $batch;
// unless refresh, a listing already cached is returned instead.
func (m *mailbox) loadFolders(ctx context.Context, refresh bool) ([]providers.Folder, error) {
	m.folders.mu.Lock()
	defer m.folders.mu.Unlock()
	if m.folders.loaded && !refresh {
		return m.folders.list, nil
	}
	names := make([]string, 0, len(wellKnownNames))
	for g := range wellKnownNames {
		names = append(names, g)
	}
	sort.Strings(names)
	reqs := []subRequest{{Method: "GET", URL: m.userRel + "/mailFolders?$top=250"}}
	for _, g := range names {
		reqs = append(reqs, subRequest{Method: "GET", URL: m.userRel + "/mailFolders/" + g + "?$select=id"})
	}
	res, err := m.batch(ctx, reqs)
	if err != nil {
		return nil, err
	}
	what := op{"folders", "Mail.Read"}
	if res[0].Status != 200 {
		return nil, m.bodyError(what, res[0].Status, res[0].bytes())
	}
	var page struct {
		Value []graphFolder `json:"value"`
	}
	if err := json.Unmarshal(res[0].bytes(), &page); err != nil {
		return nil, providers.Errorf(providers.Unavailable, Name, "folders: unreadable answer from Microsoft Graph: %v", err)
	}
	known := map[string]string{}
	for i, g := range names {
		var f graphFolder
		if r := res[i+1]; r.Status == 200 && json.Unmarshal(r.bytes(), &f) == nil {
			known[f.ID] = wellKnownNames[g]
		}
	}
	list := make([]providers.Folder, 0, len(page.Value))
	for _, f := range page.Value {
		list = append(list, providers.Folder{ID: f.ID, Name: f.DisplayName, WellKnown: known[f.ID], Total: f.Total, Unread: f.Unread})
	}
	m.folders.list, m.folders.loaded = list, true
	return list, nil
}

// Folders lists the mailbox's top-level folders with their counts.
func (m *mailbox) Folders(ctx context.Context) ([]providers.Folder, error) {
	return m.loadFolders(ctx, true)
}

// resolveFolder turns a script's folder name into something Graph accepts in a path or as a
// move destination (a well-known name or an id), plus the name summaries report.
func (m *mailbox) resolveFolder(ctx context.Context, name string) (ref, shown string, err error) {
	if name == "" {
		name = "inbox"
	}
	if g, ok := wellKnown[strings.ToLower(name)]; ok {
		if shown = wellKnownNames[g]; shown == "" {
			shown = g
		}
		return g, shown, nil
	}
	for _, refresh := range []bool{false, true} {
		list, err := m.loadFolders(ctx, refresh)
		if err != nil {
			return "", "", err
		}
		for _, f := range list {
			if f.ID == name || strings.EqualFold(f.Name, name) {
				return f.ID, f.Name, nil
			}
		}
	}
	return "", "", &providers.Error{Code: providers.NotFound, Provider: Name, Message: "no folder named " + name + " in " + m.cfg.mailbox + "; use a well-known name (inbox, sent, drafts, trash, archive, junk) or one of: " + folderNames(m)}
}

// noteFolder remembers that folder id is the one a list or waitFor reported as shown.
func (m *mailbox) noteFolder(id, shown string) {
	if id != "" {
		m.folders.named.Store(id, shown)
	}
}

// folderName is the name a message's parentFolderId is reported as.
func (m *mailbox) folderName(ctx context.Context, id string) string {
	if name, ok := m.folders.named.Load(id); ok {
		return name.(string)
	}
	list, err := m.loadFolders(ctx, false)
	if err != nil {
		return id
	}
	for _, f := range list {
		if f.ID == id {
			if f.WellKnown != "" {
				return f.WellKnown
			}
			return f.Name
		}
	}
	return id
}

func folderNames(m *mailbox) string {
	m.folders.mu.Lock()
	defer m.folders.mu.Unlock()
	names := make([]string, 0, len(m.folders.list))
	for _, f := range m.folders.list {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}
