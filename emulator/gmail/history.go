package gmail

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/mailscript/mailscript/emulator/store"
)

// historyEntry is one users.history record; exactly one of the change lists is set, or none
// for changes Gmail reports with "messages" only.
type historyEntry struct {
	ID              string         `json:"id"`
	Messages        []idOnly       `json:"messages"`
	MessagesAdded   []historyMsg   `json:"messagesAdded,omitempty"`
	MessagesDeleted []historyMsg   `json:"messagesDeleted,omitempty"`
	LabelsAdded     []historyLabel `json:"labelsAdded,omitempty"`
	LabelsRemoved   []historyLabel `json:"labelsRemoved,omitempty"`
}

type historyMsg struct {
	Message *message `json:"message"`
}

type historyLabel struct {
	Message  *message `json:"message"`
	LabelIDs []string `json:"labelIds"`
}

func gmailKeys(keys []string) []string {
	return slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == "ARCHIVE" || k == "OUTBOX" })
}

func (h *handler) listHistory(c *request) *apiError {
	qp := c.r.URL.Query()
	startParam := qp.Get("startHistoryId")
	if startParam == "" {
		return errInvalid("Missing required field: startHistoryId")
	}
	since, err := strconv.ParseUint(startParam, 10, 64)
	if err != nil {
		return errInvalid("Invalid startHistoryId")
	}
	size, e := pageSize(c.r)
	if e != nil {
		return e
	}
	if tok := qp.Get("pageToken"); tok != "" {
		after, err := strconv.ParseUint(tok, 10, 64)
		if err != nil || after < since {
			return errInvalid("Invalid pageToken")
		}
		since = after
	}
	recs, current, err := h.store.History(c.mailbox, since)
	if errors.Is(err, store.ErrHistoryExpired) {
		return errNotFound()
	}
	if err != nil {
		return storeError(err)
	}
	types, labelID := qp["historyTypes"], qp.Get("labelId")
	var out []historyEntry
	next := ""
	for _, rec := range recs {
		if len(out) == size {
			next = strconv.FormatUint(out[len(out)-1].idNum(), 10)
			break
		}
		entry, ok := h.historyEntry(c.mailbox, rec)
		if !ok || (len(types) > 0 && !slices.Contains(types, rec.Kind)) {
			continue
		}
		if labelID != "" && !entryHasLabel(entry, rec, labelID) {
			continue
		}
		out = append(out, entry)
	}
	resp := map[string]any{"historyId": strconv.FormatUint(current, 10)}
	if len(out) > 0 {
		resp["history"] = out
	}
	if next != "" {
		resp["nextPageToken"] = next
	}
	writeJSON(c.w, http.StatusOK, resp)
	return nil
}

func (e historyEntry) idNum() uint64 {
	n, _ := strconv.ParseUint(e.ID, 10, 64)
	return n
}

// historyEntry renders a store record; ok is false for records Gmail would not show (a label
// change that only touched store-only folders).
func (h *handler) historyEntry(mailbox string, rec store.HistoryRecord) (historyEntry, bool) {
	ref := idOnly{ID: rec.MessageID, ThreadID: rec.ThreadID}
	msg := &message{ID: rec.MessageID, ThreadID: rec.ThreadID, LabelIDs: gmailKeys(rec.Labels)}
	if cur, err := h.store.Get(mailbox, rec.MessageID); err == nil && rec.Kind != store.MessageAdded {
		msg.LabelIDs = gmailLabels(cur)
	}
	e := historyEntry{ID: strconv.FormatUint(rec.ID, 10), Messages: []idOnly{ref}}
	changed := gmailKeys(rec.Labels)
	switch rec.Kind {
	case store.MessageAdded:
		e.MessagesAdded = []historyMsg{{Message: msg}}
	case store.MessageDeleted:
		e.MessagesDeleted = []historyMsg{{Message: msg}}
	case store.LabelsAdded:
		if len(changed) == 0 {
			return e, false
		}
		e.LabelsAdded = []historyLabel{{Message: msg, LabelIDs: changed}}
	case store.LabelsRemoved:
		if len(changed) == 0 {
			return e, false
		}
		e.LabelsRemoved = []historyLabel{{Message: msg, LabelIDs: changed}}
	}
	return e, true
}

// entryHasLabel implements history.list's labelId filter: the record's message carried the
// label then, or carries it now.
func entryHasLabel(e historyEntry, rec store.HistoryRecord, id string) bool {
	if slices.Contains(rec.Labels, id) {
		return true
	}
	for _, lists := range [][]historyMsg{e.MessagesAdded, e.MessagesDeleted} {
		for _, m := range lists {
			if slices.Contains(m.Message.LabelIDs, id) {
				return true
			}
		}
	}
	for _, lists := range [][]historyLabel{e.LabelsAdded, e.LabelsRemoved} {
		for _, m := range lists {
			if slices.Contains(m.Message.LabelIDs, id) {
				return true
			}
		}
	}
	return false
}
