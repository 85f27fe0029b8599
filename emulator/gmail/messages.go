package gmail

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// Paging limits of messages.list and history.list.
const (
	defaultPageSize = 100
	maxPageSize     = 500
)

func pageSize(r *http.Request) (int, *apiError) {
	v := r.URL.Query().Get("maxResults")
	if v == "" {
		return defaultPageSize, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errInvalid("Invalid value at 'max_results' (TYPE_UINT32), \"" + v + "\"")
	}
	if n == 0 || n > maxPageSize {
		n = maxPageSize
	}
	return n, nil
}

// pageStart decodes a page token: the offset into the result list, as a decimal string.
func pageStart(r *http.Request) (int, *apiError) {
	v := r.URL.Query().Get("pageToken")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errInvalid("Invalid pageToken")
	}
	return n, nil
}

func boolParam(r *http.Request, name string) bool {
	b, _ := strconv.ParseBool(r.URL.Query().Get(name))
	return b
}

func (h *handler) listMessages(c *request) *apiError {
	qp := c.r.URL.Query()
	size, e := pageSize(c.r)
	if e != nil {
		return e
	}
	start, e := pageStart(c.r)
	if e != nil {
		return e
	}
	qctx := &queryContext{now: h.opts.Now()}
	var q query
	if text := strings.TrimSpace(qp.Get("q")); text != "" {
		if metadataOnly(c.token) {
			return newError(http.StatusForbidden, "forbidden", "Metadata scope does not support 'q' parameter")
		}
		var err error
		if q, err = parseQuery(text, qctx); err != nil {
			return errInvalid("Invalid query: " + err.Error())
		}
	}
	labelIDs := qp["labelIds"]
	spamTrash := boolParam(c.r, "includeSpamTrash") || qctx.spamOrTrash ||
		slices.Contains(labelIDs, "SPAM") || slices.Contains(labelIDs, "TRASH")
	_, names, err := h.labelList(c.mailbox)
	if err != nil {
		return storeError(err)
	}
	msgs, err := h.store.List(c.mailbox, store.Query{Match: func(m *store.Message) bool {
		ids := gmailLabels(m)
		if !spamTrash && (slices.Contains(ids, "SPAM") || slices.Contains(ids, "TRASH")) {
			return false
		}
		for _, want := range labelIDs {
			if !slices.Contains(ids, want) {
				return false
			}
		}
		if q == nil {
			return true
		}
		d := h.docs.get(m)
		d.labels = labelSet(ids, names)
		return q.match(&d)
	}})
	if err != nil {
		return storeError(err)
	}
	// The store sorts by arrival; Gmail lists by internalDate, which differs for imports.
	slices.SortStableFunc(msgs, func(a, b *store.Message) int { return b.InternalDate.Compare(a.InternalDate) })
	out := map[string]any{"resultSizeEstimate": len(msgs)}
	if start < len(msgs) {
		end := min(start+size, len(msgs))
		page := make([]idOnly, 0, end-start)
		for _, m := range msgs[start:end] {
			page = append(page, idOnly{ID: m.ID, ThreadID: m.ThreadID})
		}
		out["messages"] = page
		if end < len(msgs) {
			out["nextPageToken"] = strconv.Itoa(end)
		}
	}
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

// validID is Gmail's check on message ids before it looks them up: hex digits only.
func validID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

func (h *handler) message(c *request, id string) (*store.Message, *apiError) {
	if !validID(id) {
		return nil, errInvalid("Invalid id value")
	}
	m, err := h.store.Get(c.mailbox, id)
	if err != nil {
		return nil, storeError(err)
	}
	return m, nil
}

func (h *handler) getMessage(c *request) *apiError {
	format := strings.ToLower(c.r.URL.Query().Get("format"))
	switch format {
	case "":
		format = formatFull
	case formatFull, formatMetadata, formatMinimal, formatRaw:
	default:
		return errInvalid("Invalid value at 'format' (type.googleapis.com/caribou.api.proto.MessageFormat), \"" + format + "\"")
	}
	if metadataOnly(c.token) && (format == formatFull || format == formatRaw) {
		return newError(http.StatusForbidden, "forbidden", "Metadata scope doesn't allow format "+strings.ToUpper(format))
	}
	m, e := h.message(c, c.r.PathValue("id"))
	if e != nil {
		return e
	}
	writeJSON(c.w, http.StatusOK, renderMessage(m, gmailLabels(m), format, c.r.URL.Query()["metadataHeaders"]))
	return nil
}

func (h *handler) getAttachment(c *request) *apiError {
	if metadataOnly(c.token) {
		return errInsufficientScope()
	}
	m, e := h.message(c, c.r.PathValue("messageId"))
	if e != nil {
		return e
	}
	for _, a := range m.Attachments {
		if a.ID == c.r.PathValue("id") {
			writeJSON(c.w, http.StatusOK, partBody{Size: len(a.Data), Data: b64.EncodeToString(a.Data)})
			return nil
		}
	}
	return errInvalid("Invalid attachment token")
}

func (h *handler) getProfile(c *request) *apiError {
	msgs, err := h.store.List(c.mailbox, store.Query{})
	if err != nil {
		return storeError(err)
	}
	threads := map[string]bool{}
	for _, m := range msgs {
		threads[m.ThreadID] = true
	}
	hid, err := h.store.HistoryID(c.mailbox)
	if err != nil {
		return storeError(err)
	}
	writeJSON(c.w, http.StatusOK, map[string]any{
		"emailAddress":  c.mailbox,
		"messagesTotal": len(msgs),
		"threadsTotal":  len(threads),
		"historyId":     strconv.FormatUint(hid, 10),
	})
	return nil
}
