package gmail

import (
	"net/http"
	"slices"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// label is the users.labels resource.
type label struct {
	ID                    string `json:"id"`
	Name                  string `json:"name"`
	MessageListVisibility string `json:"messageListVisibility,omitempty"`
	LabelListVisibility   string `json:"labelListVisibility,omitempty"`
	Type                  string `json:"type"`
	MessagesTotal         *int   `json:"messagesTotal,omitempty"`
	MessagesUnread        *int   `json:"messagesUnread,omitempty"`
	ThreadsTotal          *int   `json:"threadsTotal,omitempty"`
	ThreadsUnread         *int   `json:"threadsUnread,omitempty"`
}

// systemLabels are listed for every mailbox, in the order Gmail lists them; the hidden ones
// carry the visibility Gmail gives them.
var systemLabels = []label{
	{ID: "CHAT", Name: "CHAT", MessageListVisibility: "hide", LabelListVisibility: "labelHide", Type: "system"},
	{ID: "SENT", Name: "SENT", Type: "system"},
	{ID: "INBOX", Name: "INBOX", Type: "system"},
	{ID: "IMPORTANT", Name: "IMPORTANT", MessageListVisibility: "hide", LabelListVisibility: "labelShow", Type: "system"},
	{ID: "TRASH", Name: "TRASH", MessageListVisibility: "hide", LabelListVisibility: "labelHide", Type: "system"},
	{ID: "DRAFT", Name: "DRAFT", Type: "system"},
	{ID: "SPAM", Name: "SPAM", MessageListVisibility: "hide", LabelListVisibility: "labelHide", Type: "system"},
	{ID: "CATEGORY_FORUMS", Name: "CATEGORY_FORUMS", Type: "system"},
	{ID: "CATEGORY_UPDATES", Name: "CATEGORY_UPDATES", Type: "system"},
	{ID: "CATEGORY_PERSONAL", Name: "CATEGORY_PERSONAL", Type: "system"},
	{ID: "CATEGORY_PROMOTIONS", Name: "CATEGORY_PROMOTIONS", Type: "system"},
	{ID: "CATEGORY_SOCIAL", Name: "CATEGORY_SOCIAL", Type: "system"},
	{ID: "STARRED", Name: "STARRED", Type: "system"},
	{ID: "UNREAD", Name: "UNREAD", Type: "system"},
}

func isSystemLabel(id string) bool {
	for _, l := range systemLabels {
		if l.ID == id {
			return true
		}
	}
	return false
}

// userLabels maps the ids of a mailbox's user labels (custom folders) to their Gmail names,
// nested ones written parent/child as Gmail does.
func userLabels(folders []store.Folder) map[string]string {
	byID := map[string]store.Folder{}
	for _, f := range folders {
		byID[f.ID] = f
	}
	out := map[string]string{}
	for _, f := range folders {
		if !strings.HasPrefix(f.ID, "Label_") {
			continue
		}
		name := f.Name
		for p, ok := byID[f.ParentID]; ok; p, ok = byID[p.ParentID] {
			name = p.Name + "/" + name
		}
		out[f.ID] = name
	}
	return out
}

func (h *handler) labelList(mailbox string) ([]label, map[string]string, error) {
	folders, err := h.store.Folders(mailbox)
	if err != nil {
		return nil, nil, err
	}
	names := userLabels(folders)
	out := append([]label(nil), systemLabels...)
	for _, f := range folders {
		if n, ok := names[f.ID]; ok {
			out = append(out, label{ID: f.ID, Name: n, MessageListVisibility: "show", LabelListVisibility: "labelShow", Type: "user"})
		}
	}
	return out, names, nil
}

func (h *handler) listLabels(c *request) *apiError {
	ls, _, err := h.labelList(c.mailbox)
	if err != nil {
		return storeError(err)
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"labels": ls})
	return nil
}

// getLabel adds the counts Gmail computes only for labels.get.
func (h *handler) getLabel(c *request) *apiError {
	ls, _, err := h.labelList(c.mailbox)
	if err != nil {
		return storeError(err)
	}
	id := c.r.PathValue("id")
	for _, l := range ls {
		if l.ID != id {
			continue
		}
		msgs, err := h.store.List(c.mailbox, store.Query{})
		if err != nil {
			return storeError(err)
		}
		var total, unread int
		threads, unreadThreads := map[string]bool{}, map[string]bool{}
		for _, m := range msgs {
			if !slices.Contains(gmailLabels(m), id) {
				continue
			}
			total++
			threads[m.ThreadID] = true
			if !m.IsRead {
				unread++
				unreadThreads[m.ThreadID] = true
			}
		}
		tt, tu := len(threads), len(unreadThreads)
		l.MessagesTotal, l.MessagesUnread, l.ThreadsTotal, l.ThreadsUnread = &total, &unread, &tt, &tu
		writeJSON(c.w, http.StatusOK, l)
		return nil
	}
	return errNotFound()
}
