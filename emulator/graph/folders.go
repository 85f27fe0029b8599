package graph

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/mailscript/mailscript/emulator/store"
)

// rootFolderID is the id of msgfolderroot, the parent of the top-level folders.
func rootFolderID(mailboxID string) string {
	sum := sha256.Sum256([]byte("msgfolderroot:" + mailboxID))
	return base64.URLEncoding.EncodeToString(append([]byte{0, 3, 0x24, 0, 0x2e}, sum[:]...))
}

func (f *Face) renderFolder(mailboxID string, fd store.Folder, all []store.Folder, counts map[string][2]int) object {
	parent := fd.ParentID
	if parent == "" {
		parent = rootFolderID(mailboxID)
	}
	children := 0
	for _, o := range all {
		if o.ParentID == fd.ID {
			children++
		}
	}
	n := counts[fd.ID]
	return object{
		{"id", fd.ID}, {"displayName", fd.Name}, {"parentFolderId", parent}, {"childFolderCount", children},
		{"unreadItemCount", n[1]}, {"totalItemCount", n[0]}, {"sizeInBytes", 0}, {"isHidden", false},
	}
}

// folderCounts returns total and unread message counts per folder id.
func (f *Face) folderCounts(mailboxID string) (map[string][2]int, error) {
	counts := map[string][2]int{}
	_, err := f.store.List(mailboxID, store.Query{Match: func(m *store.Message) bool {
		n := counts[m.FolderID]
		n[0]++
		if !m.IsRead {
			n[1]++
		}
		counts[m.FolderID] = n
		return false
	}})
	return counts, err
}

func (f *Face) listFolders(c *call, parentRef string) *apiError {
	all, err := f.store.Folders(c.mb.ID)
	if err != nil {
		return storeError(err)
	}
	parent := ""
	if parentRef != "" {
		p, err := f.store.Folder(c.mb.ID, parentRef)
		if err != nil {
			return storeError(err)
		}
		parent = p.ID
	}
	lq, e := parseListQuery(c.r, 10)
	if e != nil {
		return e
	}
	counts, err := f.folderCounts(c.mb.ID)
	if err != nil {
		return storeError(err)
	}
	var value []any
	for _, fd := range all {
		if fd.ParentID == parent {
			value = append(value, f.renderFolder(c.mb.ID, fd, all, counts))
		}
	}
	total := len(value)
	out := object{{"@odata.context", f.contextURL(c, "/mailFolders")}}
	if lq.count {
		out = append(out, field{"@odata.count", total})
	}
	out = append(out, field{"value", append([]any{}, value[min(lq.skip, total):min(lq.skip+lq.top, total)]...)})
	if lq.skip+lq.top < total {
		out = append(out, field{"@odata.nextLink", f.nextLink(c.r, lq.skip+lq.top, lq.top)})
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

func (f *Face) getFolder(c *call, ref string) *apiError {
	fd, err := f.store.Folder(c.mb.ID, ref)
	if err != nil {
		return storeError(err)
	}
	all, _ := f.store.Folders(c.mb.ID)
	counts, _ := f.folderCounts(c.mb.ID)
	writeJSON(c.w, http.StatusOK, append(object{{"@odata.context", f.contextURL(c, "/mailFolders/$entity")}}, f.renderFolder(c.mb.ID, fd, all, counts)...))
	return nil
}

func (f *Face) createFolder(c *call, parentRef string) *apiError {
	var body struct {
		DisplayName string `json:"displayName"`
	}
	if e := decodeJSON(c.r, &body); e != nil {
		return e
	}
	if body.DisplayName == "" {
		return errInvalidRequest("The displayName property is required.")
	}
	fd, err := f.store.CreateFolder(c.mb.ID, body.DisplayName, parentRef)
	switch {
	case errors.Is(err, store.ErrInvalid):
		return newError(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
	case err != nil:
		return storeError(err)
	}
	all, _ := f.store.Folders(c.mb.ID)
	writeJSON(c.w, http.StatusCreated, append(object{{"@odata.context", f.contextURL(c, "/mailFolders/$entity")}}, f.renderFolder(c.mb.ID, fd, all, nil)...))
	return nil
}
