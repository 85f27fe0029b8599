package gmail

import (
	"net/http"
	"strings"

	"github.com/mailscript/mailscript/emulator/face"
	"github.com/mailscript/mailscript/emulator/store"
)

// Options configure the face (see package face).
type Options = face.Options

// Prefixes lists the paths the handler serves, for the root mux to mount it on: entries that
// end in "/" are subtrees, the others exact paths (the token endpoint and the batch endpoint).
func Prefixes() []string {
	return []string{TokenPath, "/gmail/", "/upload/gmail/", "/batch/gmail/v1"}
}

type handler struct {
	store   *store.Store
	opts    Options
	mux     *http.ServeMux
	uploads *uploadTable
	docs    docCache
}

// NewHandler returns the Google OAuth + Gmail face over s.
func NewHandler(s *store.Store, opts Options) http.Handler {
	opts = opts.WithDefaults(s.Now)
	h := &handler{store: s, opts: opts, mux: http.NewServeMux(), uploads: newUploadTable()}
	h.routes()
	return h.mux
}

const users = "/gmail/v1/users/{userId}"

func (h *handler) routes() {
	m := h.mux
	m.HandleFunc(TokenPath, h.serveToken) // any method: serveToken answers non-POSTs in OAuth's shape
	m.HandleFunc("POST /batch/gmail/v1", h.serveBatch)
	m.Handle("GET "+users+"/profile", h.call(getScopes, h.getProfile))
	m.Handle("GET "+users+"/labels", h.call(labelScopes, h.listLabels))
	m.Handle("GET "+users+"/labels/{id}", h.call(labelScopes, h.getLabel))
	m.Handle("GET "+users+"/history", h.call(readScopes, h.listHistory))
	m.Handle("GET "+users+"/messages", h.call(readScopes, h.listMessages))
	m.Handle("GET "+users+"/messages/{id}", h.call(getScopes, h.getMessage))
	m.Handle("GET "+users+"/messages/{messageId}/attachments/{id}", h.call(getScopes, h.getAttachment))
	m.Handle("POST "+users+"/messages/send", h.call(sendScopes, h.sendJSON))
	m.Handle("POST /upload"+users+"/messages/send", h.call(sendScopes, h.sendUpload))
	m.Handle("PUT /upload"+users+"/messages/send", h.call(sendScopes, h.sendUpload))
	m.Handle("POST "+users+"/messages/{id}/trash", h.call(modifyScopes, h.trash))
	m.Handle("POST "+users+"/messages/{id}/untrash", h.call(modifyScopes, h.untrash))
	m.Handle("POST "+users+"/messages/{id}/modify", h.call(modifyScopes, h.modify))
	m.Handle("POST "+users+"/messages/batchModify", h.call(modifyScopes, h.batchModify))
	m.Handle("POST "+users+"/messages/batchDelete", h.call(deleteScopes, h.batchDelete))
	m.Handle("DELETE "+users+"/messages/{id}", h.call(deleteScopes, h.deleteMessage))
	m.HandleFunc("/gmail/", notFound)
	m.HandleFunc("/upload/gmail/", notFound)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, newError(http.StatusNotFound, "notFound", "Method not found: "+r.Method+" "+r.URL.Path))
}

// request is one authenticated Gmail call: the token, and the mailbox it may act on.
type request struct {
	w       http.ResponseWriter
	r       *http.Request
	token   store.Token
	mailbox string // the mailbox address
}

// call wraps a Gmail method with Google's checks, in Google's order: a token at all (401
// required), a live one (401 authError), a scope that covers the method (403), a userId the
// token may act for (403 delegation), and a user behind it (400 precondition).
func (h *handler) call(scopes []string, fn func(*request) *apiError) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := bearer(r.Header.Get("Authorization"))
		if raw == "" {
			raw = r.URL.Query().Get("access_token")
		}
		if raw == "" {
			writeError(w, errLoginRequired())
			return
		}
		tok, ok := h.store.LookupToken(raw)
		if !ok || tok.Kind != store.Google || !tok.ExpiresAt.After(h.opts.Now()) {
			writeError(w, errInvalidCredentials())
			return
		}
		if !allows(tok, scopes) {
			writeError(w, errInsufficientScope())
			return
		}
		if tok.Subject == "" {
			writeError(w, errFailedPrecondition("Precondition check failed."))
			return
		}
		if uid := r.PathValue("userId"); uid != "me" && !strings.EqualFold(uid, tok.Subject) {
			writeError(w, errDelegationDenied(uid))
			return
		}
		if mb, ok := h.store.Mailbox(tok.Subject); !ok || mb.Kind != store.Google {
			writeError(w, errFailedPrecondition("Mail service not enabled"))
			return
		}
		if e := fn(&request{w: w, r: r, token: tok, mailbox: tok.Subject}); e != nil {
			writeError(w, e)
		}
	})
}

// storeError maps store errors onto Gmail's: anything missing is the generic 404.
func storeError(err error) *apiError {
	return face.StoreError(err, errNotFound, errInvalid, func() *apiError {
		return newError(http.StatusInternalServerError, "backendError", "Backend Error")
	})
}
