package gmail

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// upload is one resumable upload session.
type upload struct {
	mu      sync.Mutex
	mailbox string
	data    bytes.Buffer
}

type uploadTable struct {
	mu sync.Mutex
	m  map[string]*upload
}

func newUploadTable() *uploadTable { return &uploadTable{m: map[string]*upload{}} }

// startUpload opens a session: Google answers 200 with the session URI in Location (and its id
// in X-GUploader-UploadID); the JSON body of the request is the resource metadata.
func (h *handler) startUpload(c *request) *apiError {
	ct := c.r.Header.Get("X-Upload-Content-Type")
	if ct == "" {
		ct = "message/rfc822" // Google assumes the method's media type when none is declared
	}
	if e := checkMediaType(ct); e != nil {
		return e
	}
	if n := c.r.Header.Get("X-Upload-Content-Length"); n != "" {
		if size, err := strconv.ParseInt(n, 10, 64); err == nil && size > maxMessageBytes {
			return tooLarge()
		}
	}
	id := "AEnB2U" + rand.Text() + rand.Text()
	h.uploads.mu.Lock()
	h.uploads.m[id] = &upload{mailbox: c.mailbox}
	h.uploads.mu.Unlock()
	q := url.Values{"uploadType": {"resumable"}, "upload_id": {id}}
	c.w.Header().Set("Location", h.opts.BaseURL()+c.r.URL.Path+"?"+q.Encode())
	c.w.Header().Set("X-GUploader-UploadID", id)
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// contentRange parses "bytes first-last/total", "bytes first-last/*" and "bytes */total";
// first is -1 for the no-data form and total -1 when unknown.
func contentRange(v string) (first, last, total int64, ok bool) {
	spec, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(spec, "/")
	if !found {
		return 0, 0, 0, false
	}
	total = -1
	if tot != "*" {
		n, err := strconv.ParseInt(tot, 10, 64)
		if err != nil {
			return 0, 0, 0, false
		}
		total = n
	}
	if rng == "*" {
		return -1, -1, total, total >= 0
	}
	a, b, found := strings.Cut(rng, "-")
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if !found || err1 != nil || err2 != nil || last < first {
		return 0, 0, 0, false
	}
	return first, last, total, true
}

// uploadChunk appends one chunk. An incomplete upload is acknowledged with 308 and the Range
// received so far, or, when the client sent X-GUploader-No-308 (gensupport does), with 200 and
// X-HTTP-Status-Code-Override: 308. The last chunk sends the message.
func (h *handler) uploadChunk(c *request, id string) *apiError {
	h.uploads.mu.Lock()
	up, ok := h.uploads.m[id]
	h.uploads.mu.Unlock()
	if !ok || up.mailbox != c.mailbox {
		return errNotFound()
	}
	up.mu.Lock()
	defer up.mu.Unlock()
	cr := c.r.Header.Get("Content-Range")
	first, last, total := int64(0), int64(-1), int64(-1) // no Content-Range: the whole upload at once
	if cr != "" {
		var ok bool
		if first, last, total, ok = contentRange(cr); !ok {
			return errInvalid("Invalid Content-Range header: " + cr)
		}
	}
	got := int64(up.data.Len())
	if first >= 0 && first == got {
		body, e := readLimited(c.r.Body)
		if e != nil {
			return e
		}
		if cr != "" && int64(len(body)) != last-first+1 {
			return errInvalid("Content-Range does not match the size of the request body")
		}
		if got+int64(len(body)) > maxMessageBytes {
			return tooLarge()
		}
		up.data.Write(body)
		got = int64(up.data.Len())
	}
	if cr == "" || got == total {
		h.uploads.mu.Lock()
		delete(h.uploads.m, id)
		h.uploads.mu.Unlock()
		return h.send(c, up.data.Bytes())
	}
	if got > 0 {
		c.w.Header().Set("Range", fmt.Sprintf("bytes=0-%d", got-1))
	}
	c.w.Header().Set("Content-Length", "0")
	if c.r.Header.Get("X-GUploader-No-308") == "yes" {
		c.w.Header().Set("X-HTTP-Status-Code-Override", "308")
		c.w.WriteHeader(http.StatusOK)
		return nil
	}
	c.w.WriteHeader(http.StatusPermanentRedirect)
	return nil
}
