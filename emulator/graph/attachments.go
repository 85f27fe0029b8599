package graph

import (
	"encoding/base64"
	"net/http"
	"slices"

	"github.com/mailscript/mailscript/emulator/store"
)

// attachmentsOf reads $select on the attachments collection or one attachment, and the message
// they belong to.
func (f *Face) attachmentsOf(c *call, msgID string) (*store.Message, []string, *apiError) {
	var sel []string
	if v, ok := queryParam(c.query(), "select"); ok {
		var e *apiError
		if sel, e = parseAttachmentSelect(v); e != nil {
			return nil, nil, e
		}
	}
	m, err := f.store.Get(c.mb.ID, msgID)
	if err != nil {
		return nil, nil, storeError(err)
	}
	return m, sel, nil
}

func (f *Face) listAttachments(c *call, msgID string) *apiError {
	m, sel, e := f.attachmentsOf(c, msgID)
	if e != nil {
		return e
	}
	value := make([]any, len(m.Attachments))
	for i, a := range m.Attachments {
		value[i] = f.renderAttachment(m, a, sel)
	}
	writeJSON(c.w, http.StatusOK, object{
		{"@odata.context", f.contextURL(c, "/messages('"+msgID+"')/attachments")},
		{"value", value},
	})
	return nil
}

func (f *Face) getAttachment(c *call, msgID, attID string) *apiError {
	m, sel, e := f.attachmentsOf(c, msgID)
	if e != nil {
		return e
	}
	for _, a := range m.Attachments {
		if a.ID == attID {
			writeJSON(c.w, http.StatusOK, append(object{{"@odata.context", f.contextURL(c, "/messages('"+msgID+"')/attachments/$entity")}}, f.renderAttachment(m, a, sel)...))
			return nil
		}
	}
	return errNotFound()
}

func (f *Face) attachmentValue(c *call, msgID, attID string) *apiError {
	a, err := f.store.Attachment(c.mb.ID, msgID, attID)
	if err != nil {
		return storeError(err)
	}
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.w.Header().Set("Content-Type", ct)
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(a.Data)
	return nil
}

// editDraft re-renders a draft with a change to its attachment list.
func (f *Face) editDraft(c *call, msgID string, edit func([]store.Attachment) []store.Attachment) (*store.Message, *apiError) {
	m, err := f.store.Get(c.mb.ID, msgID)
	if err != nil {
		return nil, storeError(err)
	}
	if m.FolderID != f.draftsID(c.mb.ID) {
		return nil, newError(http.StatusBadRequest, "ErrorInvalidOperation", "Attachments can be added to or removed from drafts only.")
	}
	o := outgoingOf(m)
	o.Attachments = edit(slices.Clone(o.Attachments))
	m, err = f.store.ReplaceRaw(c.mb.ID, msgID, f.compose(c, o))
	return m, storeError(err)
}

func (f *Face) addAttachment(c *call, msgID string) *apiError {
	var a jsonAttachment
	if e := decodeJSON(c.r, &a); e != nil {
		return e
	}
	if e := (draftFields{Attachments: []jsonAttachment{a}}).validate(); e != nil {
		return e
	}
	data, _ := base64.StdEncoding.DecodeString(a.ContentBytes)
	m, e := f.editDraft(c, msgID, func(as []store.Attachment) []store.Attachment {
		return append(as, store.Attachment{Name: a.Name, ContentType: a.ContentType, ContentID: a.ContentID, Inline: a.IsInline, Data: data})
	})
	if e != nil {
		return e
	}
	added := m.Attachments[len(m.Attachments)-1]
	writeJSON(c.w, http.StatusCreated, append(object{{"@odata.context", f.contextURL(c, "/messages('"+msgID+"')/attachments/$entity")}}, f.renderAttachment(m, added, nil)...))
	return nil
}

func (f *Face) deleteAttachment(c *call, msgID, attID string) *apiError {
	if _, err := f.store.Attachment(c.mb.ID, msgID, attID); err != nil {
		return storeError(err)
	}
	if _, e := f.editDraft(c, msgID, func(as []store.Attachment) []store.Attachment {
		return slices.DeleteFunc(as, func(a store.Attachment) bool { return a.ID == attID })
	}); e != nil {
		return e
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
