package graph

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// Delta state travels in opaque tokens: the history id the round started from and, while the
// initial enumeration pages, the offset reached.
func encodeState(hist uint64, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("h%d.o%d", hist, offset)))
}

func decodeState(s string) (hist uint64, offset int, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, 0, false
	}
	_, err = fmt.Sscanf(string(b), "h%d.o%d", &hist, &offset)
	return hist, offset, err == nil
}

// delta is messages delta on a folder (or the whole mailbox): a first round enumerates the
// messages page by page ($skiptoken), ending with a deltaLink ($deltatoken) at the history
// id it started from; later rounds return what changed since, removals as @removed.
func (f *Face) delta(c *call, folder string) *apiError {
	o, e := parseRender(c.r)
	if e != nil {
		return e
	}
	o.draftsID = f.draftsID(c.mb.ID)
	pageSize := 10
	if v, err := strconv.Atoi(preference(c.r, "odata.maxpagesize")); err == nil && v > 0 {
		pageSize = min(v, 1000)
		c.w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(pageSize))
	}
	folderID := ""
	if folder != "" {
		fd, err := f.store.Folder(c.mb.ID, folder)
		if err != nil {
			return storeError(err)
		}
		folderID = fd.ID
	}
	q := c.query()
	var items []any
	var next, deltaLink string
	if tok := q.Get("$deltatoken"); tok != "" {
		hist, _, ok := decodeState(tok)
		if !ok {
			return errBadRequest("The delta token is malformed.")
		}
		recs, cur, err := f.store.History(c.mb.ID, hist)
		if errors.Is(err, store.ErrHistoryExpired) {
			return newError(http.StatusGone, "SyncStateNotFound", "The sync state generation is not found. Restart the synchronization from the beginning.")
		} else if err != nil {
			return storeError(err)
		}
		items = f.changes(c, recs, folderID, o)
		deltaLink = f.deltaURL(c.r, "$deltatoken", encodeState(cur, 0))
	} else {
		hist, offset := uint64(0), 0
		if tok := q.Get("$skiptoken"); tok != "" {
			var ok bool
			if hist, offset, ok = decodeState(tok); !ok {
				return errBadRequest("The skip token is malformed.")
			}
		} else {
			var err error
			if hist, err = f.store.HistoryID(c.mb.ID); err != nil {
				return storeError(err)
			}
		}
		ms, err := f.store.List(c.mb.ID, store.Query{Folder: folderID})
		if err != nil {
			return storeError(err)
		}
		for _, m := range ms[min(offset, len(ms)):min(offset+pageSize, len(ms))] {
			items = append(items, f.renderMessage(m, o))
		}
		if offset+pageSize < len(ms) {
			next = f.deltaURL(c.r, "$skiptoken", encodeState(hist, offset+pageSize))
		} else {
			deltaLink = f.deltaURL(c.r, "$deltatoken", encodeState(hist, 0))
		}
	}
	if items == nil {
		items = []any{}
	}
	out := object{{"@odata.context", f.contextURL(c, "/messages(delta)")}, {"value", items}}
	if next != "" {
		out = slices.Insert(out, 1, field{"@odata.nextLink", next})
	} else {
		out = slices.Insert(out, 1, field{"@odata.deltaLink", deltaLink})
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

// changes turns change records into delta items: the current state of each touched message
// still in the folder, @removed for the ones that left it.
func (f *Face) changes(c *call, recs []store.HistoryRecord, folderID string, o renderOpts) []any {
	var order []string
	touchedFolder := map[string]bool{}
	for _, r := range recs {
		if !slices.Contains(order, r.MessageID) {
			order = append(order, r.MessageID)
		}
		if folderID == "" || slices.Contains(r.Labels, folderID) {
			touchedFolder[r.MessageID] = true
		}
	}
	var items []any
	for _, id := range order {
		m, err := f.store.Get(c.mb.ID, id)
		switch {
		case err == nil && (folderID == "" || m.InFolder(folderID)):
			items = append(items, f.renderMessage(m, o))
		case touchedFolder[id]:
			items = append(items, object{{"@odata.type", "#microsoft.graph.message"}, {"id", id}, {"@removed", object{{"reason", "deleted"}}}})
		}
	}
	return items
}

// deltaURL is the request's path with only $select and the given token kept, as Graph builds it.
func (f *Face) deltaURL(r *http.Request, key, token string) string {
	q := url.Values{}
	if v, ok := queryParam(r.URL.Query(), "select"); ok {
		q.Set("$select", v)
	}
	q.Set(key, token)
	return f.opts.BaseURL() + r.URL.EscapedPath() + "?" + strings.ReplaceAll(q.Encode(), "%24", "$")
}
