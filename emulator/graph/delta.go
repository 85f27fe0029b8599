package graph

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// deltaState is what a messages-delta token carries. As on Graph, the query options of the
// round's first request (select, expand, filter, orderby, changeType, top) travel inside the
// token, so nextLink and deltaLink URLs hold nothing but the token.
type deltaState struct {
	Hist   uint64 `json:"h"`           // history id the round reports changes after
	Upto   uint64 `json:"u,omitempty"` // history id a change round ends at (0 on the initial sync)
	Off    int    `json:"o,omitempty"` // items already returned in this round
	Init   bool   `json:"i,omitempty"` // the round is the initial enumeration
	Select string `json:"s,omitempty"`
	Expand string `json:"e,omitempty"`
	Filter string `json:"f,omitempty"`
	Order  string `json:"r,omitempty"`
	Change string `json:"c,omitempty"`
	Top    int    `json:"t,omitempty"`
}

func (s deltaState) encode() string {
	b, _ := json.Marshal(s)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeState(tok string) (deltaState, bool) {
	var s deltaState
	b, err := base64.RawURLEncoding.DecodeString(tok)
	return s, err == nil && json.Unmarshal(b, &s) == nil
}

// maxFilteredDelta is the documented cap on messages an initial sync with $filter returns.
const maxFilteredDelta = 5000

func errNoMailboxDelta() *apiError {
	return errBadRequest("Unsupported request: Change tracking is not supported against 'microsoft.graph.message'.")
}

// delta is messages delta on one folder. The first request enumerates the folder page by page
// ($skiptoken) and ends with a deltaLink ($deltatoken) at the history id it started from;
// later rounds return what changed since, removals as @removed.
func (f *Face) delta(c *call, folder string) *apiError {
	if folder == "" {
		return errNoMailboxDelta()
	}
	fd, err := f.store.Folder(c.mb.ID, folder)
	if err != nil {
		return storeError(err)
	}
	st, e := f.deltaStart(c)
	if e != nil {
		return e
	}
	sc, e := compileDeltaScope(st)
	if e != nil {
		return e
	}
	sc.render.draftsID = f.draftsID(c.mb.ID)
	sc.render.attachContext = f.attachContext(c)
	pageSize := 10
	if st.Top > 0 {
		pageSize = st.Top
	}
	if v, err := strconv.Atoi(preference(c.r, "odata.maxpagesize")); err == nil && v > 0 {
		pageSize = min(v, 1000)
		c.w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(pageSize))
	}
	var items []any
	if st.Init {
		items, err = f.initialItems(c, fd.ID, sc)
	} else {
		items, err = f.changeItems(c, fd.ID, st, sc)
	}
	if errors.Is(err, store.ErrHistoryExpired) {
		return newError(http.StatusGone, "SyncStateNotFound", "The sync state generation is not found. Restart the synchronization from the beginning.")
	} else if err != nil {
		return storeError(err)
	}
	page := items[min(st.Off, len(items)):min(st.Off+pageSize, len(items))]
	out := object{{"@odata.context", f.opts.BaseURL() + "/v1.0/$metadata#Collection(message)"}}
	if st.Off+pageSize < len(items) {
		next := st
		next.Off += pageSize
		out = append(out, field{"@odata.nextLink", f.deltaURL(c.r, "$skiptoken", next.encode())})
	} else {
		done := st
		done.Init, done.Off, done.Upto = false, 0, 0
		if !st.Init {
			done.Hist = st.Upto
		}
		out = append(out, field{"@odata.deltaLink", f.deltaURL(c.r, "$deltatoken", done.encode())})
	}
	writeJSON(c.w, http.StatusOK, append(out, field{"value", append([]any{}, page...)}))
	return nil
}

// deltaStart reads the state from $skiptoken or $deltatoken, or starts a round from the
// request's own query options.
func (f *Face) deltaStart(c *call) (deltaState, *apiError) {
	q := c.query()
	for _, key := range []string{"$skiptoken", "$deltatoken"} {
		tok, ok := queryParamFold(q, key)
		if !ok {
			continue
		}
		if strings.EqualFold(tok, "latest") {
			return deltaState{}, errBadRequest("$deltatoken=latest (\"sync from now\") is documented only for directory resources (users, groups) and OneDrive/SharePoint, not for messages delta. " +
				"Do an initial sync instead; $filter=receivedDateTime ge {now} keeps it short.")
		}
		st, ok := decodeState(tok)
		if !ok {
			return st, errBadRequest("The " + key + " value is malformed; use the @odata.nextLink or @odata.deltaLink URL unchanged.")
		}
		if key == "$deltatoken" {
			var err error
			if st.Upto, err = f.store.HistoryID(c.mb.ID); err != nil {
				return st, storeError(err)
			}
		}
		return st, nil
	}
	hist, err := f.store.HistoryID(c.mb.ID)
	if err != nil {
		return deltaState{}, storeError(err)
	}
	st := deltaState{Hist: hist, Init: true}
	st.Select, _ = queryParam(q, "select")
	st.Expand, _ = queryParam(q, "expand")
	st.Filter, _ = queryParam(q, "filter")
	st.Order, _ = queryParam(q, "orderby")
	st.Change, _ = queryParamFold(q, "changeType")
	if _, ok := queryParam(q, "search"); ok {
		return st, errBadRequest("$search is not supported on messages delta.")
	}
	if v, ok := queryParam(q, "top"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return st, errBadRequest("Invalid value '" + v + "' for $top query option found. The $top query option requires a value between 1 and 1000.")
		}
		st.Top = n
	}
	return st, nil
}

// queryParamFold finds a query parameter whatever the case of its name ($deltaToken, $deltatoken).
func queryParamFold(q url.Values, name string) (string, bool) {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}

// deltaURL is the request's path with only the state token, as Graph builds it.
func (f *Face) deltaURL(r *http.Request, key, token string) string {
	return f.opts.BaseURL() + r.URL.EscapedPath() + "?" + key + "=" + token
}
