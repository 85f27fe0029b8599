package graph

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/mailscript/mailscript/emulator/face"
	"github.com/mailscript/mailscript/emulator/store"
)

// Options configure the face (see package face).
type Options = face.Options

// Face serves the Entra token endpoint and Graph v1.0. It is an http.Handler.
type Face struct {
	store   *store.Store
	opts    Options
	uploads *uploadTable
}

// New returns the Microsoft face over s.
func New(s *store.Store, opts Options) *Face {
	opts = opts.WithDefaults(s.Now)
	return &Face{store: s, opts: opts, uploads: newUploadTable()}
}

// Handles reports whether a request path belongs to this face: Graph (/v1.0/), upload
// sessions (/api/v2.0/), and the Entra login paths (/{tenant}/oauth2/v2.0/token,
// /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/v2.0/keys,
// /common/discovery/instance).
func Handles(path string) bool {
	switch {
	case strings.HasPrefix(path, "/v1.0/"), strings.HasPrefix(path, "/api/v2.0/"), path == "/common/discovery/instance":
		return true
	}
	seg := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 3)
	return len(seg) == 3 && (seg[1] == "oauth2" || seg[1] == "v2.0" || seg[1] == "discovery")
}

// ServeHTTP routes to the login endpoints, upload sessions or Graph.
func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Kiota's compression handler gzips request bodies; Graph accepts them.
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, "malformed gzip request body", http.StatusBadRequest)
			return
		}
		defer zr.Close()
		r.Body = zr
		r.Header.Del("Content-Encoding")
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/v1.0/"):
		f.serveGraph(w, r)
	case strings.HasPrefix(p, "/api/v2.0/"):
		f.serveUpload(w, r)
	case p == "/common/discovery/instance":
		f.serveInstanceDiscovery(w, r)
	default:
		f.serveLogin(w, r)
	}
}

// call is one authenticated Graph request on one mailbox.
type call struct {
	w        http.ResponseWriter
	r        *http.Request
	tok      store.Token
	mb       store.Mailbox
	seg      []string // path segments after users/{id}, unescaped
	reqID    string
	clientID string
}

func (c *call) query() url.Values { return c.r.URL.Query() }

// Permission levels a route needs; the app's granted roles must cover them.
type need int

const (
	needRead need = iota
	needWrite
	needSend
)

func (n need) allowedBy(roles []string) bool {
	var ok []string
	switch n {
	case needRead:
		ok = []string{"Mail.Read", "Mail.ReadWrite", "Mail.ReadBasic", "Mail.ReadBasic.All"}
	case needWrite:
		ok = []string{"Mail.ReadWrite"}
	case needSend:
		ok = []string{"Mail.Send"}
	}
	for _, r := range roles {
		if slices.Contains(ok, r) {
			return true
		}
	}
	return false
}

func (f *Face) serveGraph(w http.ResponseWriter, r *http.Request) {
	reqID, clientID := stamp(w, r)
	fail := func(e *apiError) {
		for k, v := range e.header {
			w.Header()[k] = v
		}
		writeJSON(w, e.Status, e.body(reqID, clientID, f.opts.Now()))
	}
	tok, e := f.authenticate(r)
	if e != nil {
		fail(e)
		return
	}
	seg := splitPath(strings.TrimPrefix(r.URL.EscapedPath(), "/v1.0/"))
	if e := limitBody(r, seg[len(seg)-1] == "sendMail"); e != nil {
		fail(e)
		return
	}
	if len(seg) == 1 && seg[0] == "$batch" {
		if e := f.serveBatch(w, r); e != nil {
			fail(e)
		}
		return
	}
	if len(seg) > 0 && seg[0] == "me" {
		fail(errBadRequest("/me request is only valid with delegated authentication flow."))
		return
	}
	if len(seg) < 2 || seg[0] != "users" {
		fail(newError(http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+strings.Join(seg[:min(len(seg), 1)], "")+"'."))
		return
	}
	userRef := strings.Trim(strings.TrimPrefix(seg[1], "("), "()'")
	mb, ok := f.store.Mailbox(userRef)
	if !ok || mb.Kind != store.Microsoft || mb.TenantID != tok.TenantID {
		fail(newError(http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+userRef+"' is invalid."))
		return
	}
	c := &call{w: w, r: r, tok: tok, mb: mb, seg: seg[2:], reqID: reqID, clientID: clientID}
	if e := f.route(c); e != nil {
		fail(e)
	}
}

func splitPath(escaped string) []string {
	var out []string
	for _, s := range strings.Split(strings.Trim(escaped, "/"), "/") {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		out = append(out, s)
	}
	return out
}

// maxRequestBody is Graph's limit on one request (4 MB): attachments of 3 MB and more,
// base64-inflated, must go through an upload session instead.
const maxRequestBody = 4 << 20

// limitBody buffers the request body and refuses one over the limit: sendMail with 413, the
// other routes with the 400 Graph sends when creating a message that large.
func limitBody(r *http.Request, sendMail bool) *apiError {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return errBadRequest("Unable to read the request body.")
	}
	if len(b) > maxRequestBody {
		msg := "The maximum request length supported is 4MB."
		if sendMail {
			return newError(http.StatusRequestEntityTooLarge, "ErrorRequestEntityTooLarge", msg+" Attach files of 3 MB or more to a draft with an upload session.")
		}
		return errBadRequest(msg)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return nil
}

// authenticate checks the bearer token: present, issued here for Graph, not expired.
func (f *Face) authenticate(r *http.Request) (store.Token, *apiError) {
	h := r.Header.Get("Authorization")
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		raw, _ = strings.CutPrefix(h, "bearer ")
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return store.Token{}, errInvalidToken("Access token is empty.")
	}
	if strings.Count(raw, ".") != 2 {
		return store.Token{}, errInvalidToken("IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.")
	}
	tok, ok := f.store.LookupToken(raw)
	if !ok || tok.Kind != store.Microsoft {
		return store.Token{}, errInvalidToken("Invalid signature.")
	}
	if !tok.ExpiresAt.After(f.opts.Now()) {
		return store.Token{}, errInvalidToken("Lifetime validation failed, the token is expired.")
	}
	return tok, nil
}

// storeError maps store errors onto Graph's.
func storeError(err error) *apiError {
	return face.StoreError(err, errNotFound, errInvalidRequest, func() *apiError {
		return newError(http.StatusInternalServerError, "generalException", "An internal server error occurred. The operation failed.")
	})
}
