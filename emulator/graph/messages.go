package graph

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// maxSearchResults is the documented cap on what a $search on messages returns.
const maxSearchResults = 1000

// attachContext builds attachments@odata.context for messages expanded in this call.
func (f *Face) attachContext(c *call) func(string) string {
	return func(id string) string { return f.contextURL(c, "/messages('"+url.PathEscape(id)+"')/attachments") }
}

func (f *Face) draftsID(mb string) string {
	d, _ := f.store.Folder(mb, store.Drafts)
	return d.ID
}

func (f *Face) listMessages(c *call, folder string) *apiError {
	lq, e := parseListQuery(c.r, 10)
	if e != nil {
		return e
	}
	drafts := f.draftsID(c.mb.ID)
	ms, err := f.store.List(c.mb.ID, store.Query{Folder: folder, Match: func(m *store.Message) bool {
		if lq.filter != nil && !lq.filter.match(env{m: m, draftsID: drafts}) {
			return false
		}
		return lq.search == nil || lq.search(m)
	}})
	if err != nil {
		return storeError(err)
	}
	if len(lq.orderBy) != 1 || lq.orderBy[0].prop != "receivedDateTime" || !lq.orderBy[0].desc {
		sortMessages(ms, lq.orderBy, drafts)
	}
	lq.render.draftsID = drafts
	lq.render.attachContext = f.attachContext(c)
	if lq.search != nil && len(ms) > maxSearchResults {
		ms = ms[:maxSearchResults]
	}
	total := len(ms)
	page := ms[min(lq.skip, total):min(lq.skip+lq.top, total)]
	value := make([]any, len(page))
	for i, m := range page {
		value[i] = f.renderMessage(m, lq.render)
	}
	suffix := "/messages"
	if folder != "" {
		suffix = "/mailFolders('" + folder + "')/messages"
	}
	if len(lq.render.selected) > 0 {
		suffix += "(" + strings.Join(lq.render.selected, ",") + ")"
	}
	out := object{{"@odata.context", f.contextURL(c, suffix)}}
	if lq.count {
		out = append(out, field{"@odata.count", total})
	}
	out = append(out, field{"value", value})
	if lq.skip+lq.top < total {
		out = append(out, field{"@odata.nextLink", f.nextLink(c.r, lq.skip+lq.top, lq.top)})
	}
	f.applyPreference(c, lq.render)
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

// nextLink is the request's own URL on the emulator's base with $skip advanced.
func (f *Face) nextLink(r *http.Request, skip, top int) string {
	q := r.URL.Query()
	for _, k := range []string{"skip", "top"} {
		delete(q, k)
		delete(q, "$"+k)
	}
	q.Set("$top", strconv.Itoa(top))
	q.Set("$skip", strconv.Itoa(skip))
	return f.opts.BaseURL() + r.URL.EscapedPath() + "?" + strings.ReplaceAll(q.Encode(), "%24", "$")
}

func (f *Face) applyPreference(c *call, o renderOpts) {
	if o.bodyType != "" {
		c.w.Header().Set("Preference-Applied", `outlook.body-content-type="`+o.bodyType+`"`)
	}
}

func (f *Face) getMessage(c *call, id string) *apiError {
	m, err := f.store.Get(c.mb.ID, id)
	if err != nil {
		return storeError(err)
	}
	o, e := parseRender(c.r)
	if e != nil {
		return e
	}
	o.draftsID = f.draftsID(c.mb.ID)
	o.attachContext = f.attachContext(c)
	f.applyPreference(c, o)
	entity := "/messages/$entity"
	if len(o.selected) > 0 {
		entity = "/messages(" + strings.Join(o.selected, ",") + ")/$entity"
	}
	writeJSON(c.w, http.StatusOK, append(object{{"@odata.context", f.contextURL(c, entity)}}, f.renderMessage(m, o)...))
	return nil
}

func (f *Face) messageValue(c *call, id string) *apiError {
	m, err := f.store.Get(c.mb.ID, id)
	if err != nil {
		return storeError(err)
	}
	c.w.Header().Set("Content-Type", "text/plain")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(m.Raw)
	return nil
}

// patchBody is the writable part of a message. Content fields are accepted on drafts only.
type patchBody struct {
	IsRead                  *bool                        `json:"isRead"`
	Importance              *string                      `json:"importance"`
	Categories              *[]string                    `json:"categories"`
	Flag                    *struct{ FlagStatus string } `json:"flag"`
	InferenceClassification *string                      `json:"inferenceClassification"`
	draftFields
}

func decodeJSON(r *http.Request, v any) *apiError {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		return errBadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	return nil
}

func (f *Face) patchMessage(c *call, id string) *apiError {
	var p patchBody
	if e := decodeJSON(c.r, &p); e != nil {
		return e
	}
	m, err := f.store.Get(c.mb.ID, id)
	if err != nil {
		return storeError(err)
	}
	drafts := f.draftsID(c.mb.ID)
	if p.draftFields.any() {
		if m.FolderID != drafts {
			return newError(http.StatusBadRequest, "ErrorInvalidPropertyUpdateSentMessage", "Update operation is not allowed for property '"+p.draftFields.first()+"' on a sent message.")
		}
		if m, err = f.store.ReplaceRaw(c.mb.ID, id, f.applyDraft(c, m, p.draftFields)); err != nil {
			return storeError(err)
		}
	}
	var ch store.Change
	ch.IsRead, ch.Categories = p.IsRead, p.Categories
	if p.Importance != nil {
		imp := strings.ToLower(*p.Importance)
		ch.Importance = &imp
	}
	if p.Flag != nil {
		flagged := p.Flag.FlagStatus == "flagged"
		ch.Flagged = &flagged
	}
	if ch.IsRead != nil || ch.Categories != nil || ch.Importance != nil || ch.Flagged != nil {
		if m, err = f.store.Update(c.mb.ID, id, ch); err != nil {
			return storeError(err)
		}
	}
	writeJSON(c.w, http.StatusOK, append(object{{"@odata.context", f.contextURL(c, "/messages/$entity")}}, f.renderMessage(m, renderOpts{draftsID: drafts})...))
	return nil
}

// deleteMessage moves to Deleted Items; from Deleted Items it is gone (recoverable items).
func (f *Face) deleteMessage(c *call, id string) *apiError {
	m, err := f.store.Get(c.mb.ID, id)
	if err != nil {
		return storeError(err)
	}
	deleted, _ := f.store.Folder(c.mb.ID, store.DeletedItems)
	if m.FolderID == deleted.ID {
		err = f.store.Delete(c.mb.ID, id)
	} else {
		_, err = f.store.Move(c.mb.ID, id, store.DeletedItems)
	}
	if err != nil {
		return storeError(err)
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (f *Face) permanentDelete(c *call, id string) *apiError {
	if err := f.store.Delete(c.mb.ID, id); err != nil {
		return storeError(err)
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (f *Face) moveMessage(c *call, id string, copyIt bool) *apiError {
	var body struct {
		DestinationID string `json:"destinationId"`
	}
	if e := decodeJSON(c.r, &body); e != nil {
		return e
	}
	if body.DestinationID == "" {
		return errInvalidRequest("The destinationId parameter is required.")
	}
	dest, err := f.store.Folder(c.mb.ID, body.DestinationID)
	if err != nil {
		return storeError(err)
	}
	var m *store.Message
	if copyIt {
		var src *store.Message
		if src, err = f.store.Get(c.mb.ID, id); err == nil {
			m, err = f.store.Insert(c.mb.ID, src.Raw, store.InsertOptions{Folder: dest.ID, IsRead: src.IsRead, Flagged: src.Flagged})
		}
	} else {
		m, err = f.store.Move(c.mb.ID, id, dest.ID)
	}
	if err != nil {
		return storeError(err)
	}
	writeJSON(c.w, http.StatusCreated, append(object{{"@odata.context", f.contextURL(c, "/messages/$entity")}}, f.renderMessage(m, renderOpts{draftsID: f.draftsID(c.mb.ID)})...))
	return nil
}

func (f *Face) getUser(c *call) *apiError {
	writeJSON(c.w, http.StatusOK, object{
		{"@odata.context", f.opts.BaseURL() + "/v1.0/$metadata#users/$entity"},
		{"businessPhones", []string{}},
		{"displayName", c.mb.DisplayName},
		{"mail", c.mb.Address},
		{"userPrincipalName", c.mb.Address},
		{"id", c.mb.ID},
	})
	return nil
}

// messageURL is the canonical Graph URL of a message, for Location headers.
func (f *Face) messageURL(mb, id string) string {
	return f.opts.BaseURL() + "/v1.0/users('" + url.PathEscape(mb) + "')/messages('" + url.PathEscape(id) + "')"
}
