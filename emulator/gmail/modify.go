package gmail

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

type modifyBody struct {
	IDs            []string `json:"ids"`
	AddLabelIDs    []string `json:"addLabelIds"`
	RemoveLabelIDs []string `json:"removeLabelIds"`
}

func decodeBody(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return errInvalid("Invalid JSON payload received. " + err.Error())
	}
	return nil
}

// change turns Gmail label edits into a store change: UNREAD and STARRED are message state,
// everything else a folder or label, which must exist.
func (h *handler) change(mailbox string, add, remove []string) (store.Change, *apiError) {
	var ch store.Change
	names := map[string]bool{}
	if _, user, err := h.labelList(mailbox); err == nil {
		for id := range user {
			names[id] = true
		}
	}
	edit := func(ids []string, adding bool, dst *[]string) *apiError {
		for _, id := range ids {
			switch {
			case id == "UNREAD":
				read := !adding
				ch.IsRead = &read
			case id == "STARRED":
				flagged := adding
				ch.Flagged = &flagged
			case names[id] || (isSystemLabel(id) && id != "CHAT"):
				if id == "IMPORTANT" || strings.HasPrefix(id, "CATEGORY_") {
					if err := h.store.EnsureGmailLabel(mailbox, id); err != nil {
						return storeError(err)
					}
				}
				*dst = append(*dst, id)
			default:
				return errInvalid("Invalid label: " + id)
			}
		}
		return nil
	}
	if e := edit(add, true, &ch.AddLabels); e != nil {
		return ch, e
	}
	if e := edit(remove, false, &ch.RemoveLabels); e != nil {
		return ch, e
	}
	return ch, nil
}

// writeMinimal answers trash, untrash and modify: Gmail returns id, threadId and labelIds only.
func writeMinimal(w http.ResponseWriter, m *store.Message) {
	writeJSON(w, http.StatusOK, &message{ID: m.ID, ThreadID: m.ThreadID, LabelIDs: gmailLabels(m)})
}

func (h *handler) modify(c *request) *apiError {
	var body modifyBody
	if e := decodeBody(c.r, &body); e != nil {
		return e
	}
	if _, e := h.message(c, c.r.PathValue("id")); e != nil {
		return e
	}
	ch, e := h.change(c.mailbox, body.AddLabelIDs, body.RemoveLabelIDs)
	if e != nil {
		return e
	}
	m, err := h.store.Update(c.mailbox, c.r.PathValue("id"), ch)
	if err != nil {
		return storeError(err)
	}
	writeMinimal(c.w, m)
	return nil
}

// maxBatchIDs is Gmail's limit on ids per batchModify / batchDelete call.
const maxBatchIDs = 1000

func (h *handler) batchModify(c *request) *apiError {
	var body modifyBody
	if e := decodeBody(c.r, &body); e != nil {
		return e
	}
	if len(body.IDs) > maxBatchIDs {
		return errInvalid("Too many ids: at most 1000 per request")
	}
	ch, e := h.change(c.mailbox, body.AddLabelIDs, body.RemoveLabelIDs)
	if e != nil {
		return e
	}
	for _, id := range body.IDs {
		// Gmail skips ids it does not know rather than failing the whole batch.
		if _, err := h.store.Update(c.mailbox, id, ch); err != nil && !errors.Is(err, store.ErrNotFound) {
			return storeError(err)
		}
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handler) batchDelete(c *request) *apiError {
	var body modifyBody
	if e := decodeBody(c.r, &body); e != nil {
		return e
	}
	if len(body.IDs) > maxBatchIDs {
		return errInvalid("Too many ids: at most 1000 per request")
	}
	for _, id := range body.IDs {
		if err := h.store.Delete(c.mailbox, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return storeError(err)
		}
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handler) trash(c *request) *apiError {
	if _, e := h.message(c, c.r.PathValue("id")); e != nil {
		return e
	}
	m, err := h.store.GmailTrash(c.mailbox, c.r.PathValue("id"))
	if err != nil {
		return storeError(err)
	}
	writeMinimal(c.w, m)
	return nil
}

func (h *handler) untrash(c *request) *apiError {
	if _, e := h.message(c, c.r.PathValue("id")); e != nil {
		return e
	}
	m, err := h.store.Update(c.mailbox, c.r.PathValue("id"), store.Change{RemoveLabels: []string{"TRASH"}})
	if err != nil {
		return storeError(err)
	}
	writeMinimal(c.w, m)
	return nil
}

func (h *handler) deleteMessage(c *request) *apiError {
	if _, e := h.message(c, c.r.PathValue("id")); e != nil {
		return e
	}
	if err := h.store.Delete(c.mailbox, c.r.PathValue("id")); err != nil {
		return storeError(err)
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
