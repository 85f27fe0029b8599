package graph

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// maxUploadSize is Outlook's limit for one attachment through an upload session.
const maxUploadSize = 150 << 20

// uploadSession is an attachment being uploaded in chunks to a draft.
type uploadSession struct {
	mailbox, message string
	name, ctype, cid string
	inline           bool
	size             int
	data             []byte
	expires          time.Time
}

type uploadTable struct {
	mu       sync.Mutex
	sessions map[string]*uploadSession // by the authtoken in the upload URL
}

func newUploadTable() *uploadTable { return &uploadTable{sessions: map[string]*uploadSession{}} }

func (f *Face) createUploadSession(c *call, msgID string) *apiError {
	var body struct {
		AttachmentItem *struct {
			AttachmentType string `json:"attachmentType"`
			Name           string `json:"name"`
			Size           int    `json:"size"`
			ContentType    string `json:"contentType"`
			IsInline       bool   `json:"isInline"`
			ContentID      string `json:"contentId"`
		} `json:"AttachmentItem"`
	}
	if e := decodeJSON(c.r, &body); e != nil {
		return e
	}
	it := body.AttachmentItem
	if it == nil || it.Name == "" || it.Size <= 0 {
		return errInvalidRequest("The AttachmentItem parameter with a name and a positive size is required.")
	}
	if it.AttachmentType != "" && !strings.EqualFold(it.AttachmentType, "file") {
		return errInvalidRequest("Only attachmentType 'file' can be uploaded.")
	}
	if it.Size > maxUploadSize {
		return newError(http.StatusBadRequest, "ErrorAttachmentSizeLimitExceeded", "The attachment size exceeds the allowed limit of 150 MB.")
	}
	m, err := f.store.Get(c.mb.ID, msgID)
	if err != nil {
		return storeError(err)
	}
	if m.FolderID != f.draftsID(c.mb.ID) {
		return newError(http.StatusBadRequest, "ErrorInvalidOperation", "Attachments can be added to drafts only.")
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	key := base64.RawURLEncoding.EncodeToString(b)
	s := &uploadSession{mailbox: c.mb.ID, message: msgID, name: it.Name, ctype: it.ContentType, cid: it.ContentID,
		inline: it.IsInline, size: it.Size, expires: f.opts.Now().Add(6 * time.Hour)}
	f.uploads.mu.Lock()
	f.uploads.sessions[key] = s
	f.uploads.mu.Unlock()
	sid := base64.StdEncoding.EncodeToString(b[:18])
	uploadURL := fmt.Sprintf("%s/api/v2.0/Users('%s')/Messages('%s')/AttachmentSessions('%s')?authtoken=%s",
		f.opts.BaseURL(), url.PathEscape(c.mb.ID), url.PathEscape(msgID), url.PathEscape(sid), key)
	writeJSON(c.w, http.StatusCreated, object{
		{"@odata.context", f.opts.BaseURL() + "/v1.0/$metadata#microsoft.graph.uploadSession"},
		{"uploadUrl", uploadURL},
		{"expirationDateTime", graphTime(s.expires)},
		{"nextExpectedRanges", []string{"0-"}},
	})
	return nil
}

// serveUpload handles the session URL: PUT a chunk, GET the status, DELETE to cancel. The
// authtoken in the URL is the credential, as on the service (no Authorization header).
func (f *Face) serveUpload(w http.ResponseWriter, r *http.Request) {
	reqID, clientID := stamp(w, r)
	fail := func(e *apiError) { writeJSON(w, e.Status, e.body(reqID, clientID, f.opts.Now())) }
	key := r.URL.Query().Get("authtoken")
	f.uploads.mu.Lock()
	defer f.uploads.mu.Unlock()
	s, ok := f.uploads.sessions[key]
	if !ok || f.opts.Now().After(s.expires) {
		fail(newError(http.StatusNotFound, "ErrorItemNotFound", "The upload session was not found or has expired."))
		return
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, object{{"expirationDateTime", graphTime(s.expires)}, {"nextExpectedRanges", []string{fmt.Sprintf("%d-", len(s.data))}}})
	case http.MethodDelete:
		delete(f.uploads.sessions, key)
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		if e := f.putChunk(w, r, s); e != nil {
			fail(e)
			return
		}
		if len(s.data) == s.size {
			delete(f.uploads.sessions, key)
		}
	default:
		fail(errMethod())
	}
}

func (f *Face) putChunk(w http.ResponseWriter, r *http.Request, s *uploadSession) *apiError {
	start, end, total, ok := parseContentRange(r.Header.Get("Content-Range"))
	if !ok || total != s.size || end >= total {
		return errBadRequest("The Content-Range header is missing or malformed: want 'bytes start-end/" + strconv.Itoa(s.size) + "'.")
	}
	if start != len(s.data) {
		return newError(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", fmt.Sprintf("The uploaded fragment starts at %d; the next expected range is %d-.", start, len(s.data)))
	}
	chunk, err := io.ReadAll(io.LimitReader(r.Body, int64(end-start+2)))
	if err != nil || len(chunk) != end-start+1 {
		return errBadRequest(fmt.Sprintf("The fragment length %d does not match the Content-Range %d-%d.", len(chunk), start, end))
	}
	s.data = append(s.data, chunk...)
	if len(s.data) < s.size {
		writeJSON(w, http.StatusOK, object{{"expirationDateTime", graphTime(s.expires)}, {"nextExpectedRanges", []string{fmt.Sprintf("%d-", len(s.data))}}})
		return nil
	}
	c := &call{w: w, r: r}
	mb, _ := f.store.Mailbox(s.mailbox)
	c.mb = mb
	m, e := f.editDraft(c, s.message, func(as []store.Attachment) []store.Attachment {
		return append(as, store.Attachment{Name: s.name, ContentType: s.ctype, ContentID: s.cid, Inline: s.inline, Data: s.data})
	})
	if e != nil {
		return e
	}
	added := m.Attachments[len(m.Attachments)-1]
	w.Header().Set("Location", f.messageURL(s.mailbox, s.message)+"/attachments('"+url.PathEscape(added.ID)+"')")
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusCreated)
	return nil
}

func parseContentRange(v string) (start, end, total int, ok bool) {
	v, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(v, "/")
	a, b, found2 := strings.Cut(rng, "-")
	if !found || !found2 {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	start, err1 = strconv.Atoi(a)
	end, err2 = strconv.Atoi(b)
	total, err3 = strconv.Atoi(tot)
	return start, end, total, err1 == nil && err2 == nil && err3 == nil && start <= end
}
