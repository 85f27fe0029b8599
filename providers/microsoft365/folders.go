package microsoft365

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/internal/coalesce"
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
// listing is refreshed when a name is not found in it. One listing is fetched at a time, and
// callers asking meanwhile share it (each waiting only as long as its own context allows).
type folderCache struct {
	mu     sync.Mutex
	loaded bool
	list   []providers.Folder
	// named maps folder ids to names learnt from listing a folder's messages (their
	// parentFolderId), so that reading them needs no folder lookup.
	named map[string]string
	fetch coalesce.Group[struct{}, []providers.Folder]
}

type graphFolder struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Total       int    `json:"totalItemCount"`
	Unread      int    `json:"unreadItemCount"`
}

// loadFolders returns the top-level folders, with the well-known ones named; unless refresh,
// the listing already cached.
func (m *mailbox) loadFolders(ctx context.Context, refresh bool) ([]providers.Folder, error) {
	m.folders.mu.Lock()
	list, loaded := m.folders.list, m.folders.loaded
	m.folders.mu.Unlock()
	if loaded && !refresh {
		return list, nil
	}
	return m.folders.fetch.Do(ctx, struct{}{}, m.fetchFolders)
}

// fetchFolders fetches the top-level folders and the ids of the well-known ones in one $batch,
// and caches them.
func (m *mailbox) fetchFolders(ctx context.Context) ([]providers.Folder, error) {
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
	m.folders.mu.Lock()
	m.folders.list, m.folders.loaded = list, true
	m.folders.mu.Unlock()
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
	if id == "" {
		return
	}
	m.folders.mu.Lock()
	defer m.folders.mu.Unlock()
	if m.folders.named == nil {
		m.folders.named = map[string]string{}
	}
	m.folders.named[id] = shown
}

// folderName is the name a message's parentFolderId is reported as. An id no list or waitFor
// has shown needs the folder listing: the first read of a connection fetches it (one $batch,
// shared by the reads that need it meanwhile), and its failure fails the read.
func (m *mailbox) folderName(ctx context.Context, id string) (string, error) {
	m.folders.mu.Lock()
	name, ok := m.folders.named[id]
	m.folders.mu.Unlock()
	if ok {
		return name, nil
	}
	list, err := m.loadFolders(ctx, false)
	if err != nil {
		return "", err
	}
	for _, f := range list {
		if f.ID == id {
			if f.WellKnown != "" {
				return f.WellKnown, nil
			}
			return f.Name, nil
		}
	}
	return id, nil
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

// inFolderLookup says that err came from the folder lookup o needed.
func inFolderLookup(o op, err error) error {
	var pe *providers.Error
	if !errors.As(err, &pe) {
		return err
	}
	cp := *pe
	cp.Message = o.what + ": looking up its folder: " + pe.Message
	return &cp
}
