package graph

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// rootFolderID is the id of msgfolderroot, the parent of the top-level folders.
func rootFolderID(mailboxID string) string {
	sum := sha256.Sum256([]byte("msgfolderroot:" + mailboxID))
	return base64.URLEncoding.EncodeToString(append([]byte{0, 3, 0x24, 0, 0x2e}, sum[:]...))
}

// folderProps are the structural properties of microsoft.graph.mailFolder in v1.0, in
// Graph's order (sizeInBytes and wellKnownName exist on beta only).
var folderProps = []string{"id", "displayName", "parentFolderId", "childFolderCount", "unreadItemCount", "totalItemCount", "isHidden"}

// folderNavigation are mailFolder's relationships: valid in $expand on Graph, not emulated.
var folderNavigation = []string{"childFolders", "messages", "messageRules", "singleValueExtendedProperties", "multiValueExtendedProperties"}

// folderRow is a mail folder with its counts, as rendered and filtered.
type folderRow struct {
	id, name, parent        string
	children, unread, total int
}

func (r *folderRow) prop(p string) any {
	switch p {
	case "id":
		return r.id
	case "displayName":
		return r.name
	case "parentFolderId":
		return r.parent
	case "childFolderCount":
		return r.children
	case "unreadItemCount":
		return r.unread
	case "totalItemCount":
		return r.total
	}
	return false // isHidden: the emulator has no hidden folders
}

func canonicalFolderProp(p string) string {
	if i := slices.IndexFunc(folderProps, func(q string) bool { return strings.EqualFold(p, q) }); i >= 0 {
		return folderProps[i]
	}
	return p
}

func folderGetter(path string) func(env) any {
	p := canonicalFolderProp(path)
	if !slices.Contains(folderProps, p) {
		return nil
	}
	return func(e env) any { return e.folder.prop(p) }
}

func errFolderProp(p string) *apiError { return errExpand(p, "microsoft.graph.mailFolder") }

// folderQuery is a parsed request on mail folders: validated against mailFolder, not message.
type folderQuery struct {
	top, skip int
	count     bool
	selected  []string
	filter    *filter
}

func parseFolderQuery(r *http.Request) (*folderQuery, *apiError) {
	q := r.URL.Query()
	fq := &folderQuery{}
	var e *apiError
	if fq.top, fq.skip, fq.count, e = parsePaging(q, 10); e != nil {
		return nil, e
	}
	if v, ok := queryParam(q, "select"); ok {
		known := func(p string) bool { return slices.Contains(folderProps, canonicalFolderProp(p)) }
		if fq.selected, e = parseSelect(v, known, canonicalFolderProp, errFolderProp); e != nil {
			return nil, e
		}
	}
	if v, ok := queryParam(q, "expand"); ok {
		items, _ := splitTopLevel(v, ',')
		for _, it := range items {
			name, _, _ := strings.Cut(strings.TrimSpace(it), "(")
			if slices.ContainsFunc(folderNavigation, func(n string) bool { return strings.EqualFold(n, name) }) {
				return nil, errBadRequest("$expand=" + name + " is valid on Graph but not implemented by the emulator for mail folders.")
			}
			return nil, errFolderProp(name)
		}
	}
	if v, ok := queryParam(q, "filter"); ok {
		if fq.filter, e = parseFilterOn(v, folderGetter, "microsoft.graph.mailFolder"); e != nil {
			return nil, e
		}
	}
	return fq, nil
}

// rows returns the folders with their counts, in the store's order.
func (f *Face) folderRows(mailboxID string) ([]folderRow, error) {
	all, err := f.store.Folders(mailboxID)
	if err != nil {
		return nil, err
	}
	counts := map[string][2]int{}
	if _, err = f.store.List(mailboxID, store.Query{Match: func(m *store.Message) bool {
		n := counts[m.FolderID]
		n[0]++
		if !m.IsRead {
			n[1]++
		}
		counts[m.FolderID] = n
		return false
	}}); err != nil {
		return nil, err
	}
	rows := make([]folderRow, len(all))
	for i, fd := range all {
		parent := fd.ParentID
		if parent == "" {
			parent = rootFolderID(mailboxID)
		}
		rows[i] = folderRow{id: fd.ID, name: fd.Name, parent: parent, total: counts[fd.ID][0], unread: counts[fd.ID][1]}
		for _, o := range all {
			if o.ParentID == fd.ID {
				rows[i].children++
			}
		}
	}
	return rows, nil
}

// render gives every property, or id and the selected ones.
func (r *folderRow) render(selected []string) object {
	out := object{{"id", r.id}}
	for _, p := range folderProps[1:] {
		if selected == nil || slices.Contains(selected, p) {
			out = append(out, field{p, r.prop(p)})
		}
	}
	return out
}

func (f *Face) findRow(c *call, ref string) (*folderRow, *apiError) {
	fd, err := f.store.Folder(c.mb.ID, ref)
	if err != nil {
		return nil, storeError(err)
	}
	rows, err := f.folderRows(c.mb.ID)
	if err != nil {
		return nil, storeError(err)
	}
	i := slices.IndexFunc(rows, func(r folderRow) bool { return r.id == fd.ID })
	return &rows[i], nil
}

func (f *Face) listFolders(c *call, parentRef string) *apiError {
	fq, e := parseFolderQuery(c.r)
	if e != nil {
		return e
	}
	parent := rootFolderID(c.mb.ID)
	suffix := "/mailFolders"
	if parentRef != "" {
		p, e := f.findRow(c, parentRef)
		if e != nil {
			return e
		}
		parent, suffix = p.id, "/mailFolders('"+p.id+"')/childFolders"
	}
	rows, err := f.folderRows(c.mb.ID)
	if err != nil {
		return storeError(err)
	}
	var value []any
	for i := range rows {
		r := &rows[i]
		if r.parent == parent && (fq.filter == nil || fq.filter.match(env{folder: r})) {
			value = append(value, r.render(fq.selected))
		}
	}
	if len(fq.selected) > 0 {
		suffix += "(" + strings.Join(fq.selected, ",") + ")"
	}
	total := len(value)
	out := object{{"@odata.context", f.contextURL(c, suffix)}}
	if fq.count {
		out = append(out, field{"@odata.count", total})
	}
	out = append(out, field{"value", append([]any{}, value[min(fq.skip, total):min(fq.skip+fq.top, total)]...)})
	if fq.skip+fq.top < total {
		out = append(out, field{"@odata.nextLink", f.nextLink(c.r, fq.skip+fq.top, fq.top)})
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

func (f *Face) getFolder(c *call, ref string) *apiError {
	fq, e := parseFolderQuery(c.r)
	if e != nil {
		return e
	}
	r, e := f.findRow(c, ref)
	if e != nil {
		return e
	}
	writeJSON(c.w, http.StatusOK, append(object{{"@odata.context", f.contextURL(c, "/mailFolders/$entity")}}, r.render(fq.selected)...))
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
	r, e := f.findRow(c, fd.ID)
	if e != nil {
		return e
	}
	writeJSON(c.w, http.StatusCreated, append(object{{"@odata.context", f.contextURL(c, "/mailFolders/$entity")}}, r.render(nil)...))
	return nil
}
