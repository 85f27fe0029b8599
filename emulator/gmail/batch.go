package gmail

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
)

// maxBatchParts is Gmail's documented limit of calls per batch request.
const maxBatchParts = 100

// batchPart is one call read from a batch body.
type batchPart struct {
	contentID string
	req       *http.Request
	err       *apiError // set when the part could not be read as an HTTP request
}

// serveBatch answers POST /batch/gmail/v1: a multipart/mixed body of application/http parts,
// each a whole HTTP request, answered by a multipart/mixed body of whole HTTP responses whose
// Content-ID is the request's prefixed with "response-". Inner calls inherit the outer
// Authorization header unless they carry their own.
func (h *handler) serveBatch(w http.ResponseWriter, r *http.Request) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" || params["boundary"] == "" {
		writeError(w, errInvalid("A batch request needs Content-Type multipart/mixed with a boundary"))
		return
	}
	parts, e := readBatch(r, params["boundary"])
	if e != nil {
		writeError(w, e)
		return
	}
	var call http.Handler = h.mux
	if h.opts.Batch != nil {
		var done func()
		call, done = h.opts.Batch(false, h.mux) // Gmail may run a batch's calls in any order, at once
		defer done()
	}
	boundary := "batch_" + rand.Text()
	var out bytes.Buffer
	mw := multipart.NewWriter(&out)
	_ = mw.SetBoundary(boundary)
	for _, p := range parts {
		rec := httptest.NewRecorder()
		switch {
		case p.err != nil:
			writeError(rec, p.err)
		case !strings.HasPrefix(p.req.URL.Path, "/gmail/v1/"):
			writeError(rec, errInvalid("Batch calls must be Gmail API calls under /gmail/v1/, not "+p.req.URL.Path))
		default:
			if p.req.Header.Get("Authorization") == "" {
				p.req.Header.Set("Authorization", r.Header.Get("Authorization"))
			}
			call.ServeHTTP(rec, p.req.WithContext(r.Context()))
		}
		hdr := textproto.MIMEHeader{"Content-Type": {"application/http"}}
		if p.contentID != "" {
			hdr["Content-ID"] = []string{"<response-" + p.contentID + ">"} // Google's spelling, not Content-Id
		}
		pw, _ := mw.CreatePart(hdr)
		resp := rec.Result()
		resp.ContentLength = int64(rec.Body.Len())
		_ = resp.Write(pw)
	}
	_ = mw.Close()
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+boundary)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out.Bytes())
}

func readBatch(r *http.Request, boundary string) ([]batchPart, *apiError) {
	mr := multipart.NewReader(r.Body, boundary)
	var parts []batchPart
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, errInvalid("Malformed multipart body: " + err.Error())
		}
		if len(parts) == maxBatchParts {
			return nil, errInvalid("Too many requests in batch: a batch request holds at most 100 calls")
		}
		body, err := io.ReadAll(p)
		if err != nil {
			return nil, errInvalid("Malformed multipart body: " + err.Error())
		}
		bp := batchPart{contentID: strings.Trim(p.Header.Get("Content-ID"), "<> ")}
		bp.req, bp.err = innerRequest(body)
		parts = append(parts, bp)
	}
	if len(parts) == 0 {
		return nil, errInvalid("Batch request contains no calls")
	}
	return parts, nil
}

// innerRequest parses one application/http part. The protocol version on the request line is
// optional in Google's examples, and a body without Content-Length runs to the end of the part.
func innerRequest(part []byte) (*http.Request, *apiError) {
	part = bytes.TrimLeft(part, "\r\n")
	line, rest, _ := bytes.Cut(part, []byte("\n"))
	fields := strings.Fields(string(line))
	if len(fields) == 2 {
		fields = append(fields, "HTTP/1.1")
	}
	if len(fields) != 3 {
		return nil, errInvalid("Batch part is not an HTTP request: want a request line like GET /gmail/v1/users/me/profile HTTP/1.1")
	}
	if !bytes.Contains(rest, []byte("\n\n")) && !bytes.Contains(rest, []byte("\n\r\n")) && !bytes.HasPrefix(rest, []byte("\r\n")) {
		rest = append(bytes.TrimRight(rest, "\r\n"), "\r\n\r\n"...) // headers only, no terminating blank line
	}
	br := bufio.NewReader(io.MultiReader(strings.NewReader(strings.Join(fields, " ")+"\r\n"), bytes.NewReader(rest)))
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, errInvalid("Batch part is not an HTTP request: " + err.Error())
	}
	if req.Header.Get("Content-Length") == "" && req.Method != http.MethodGet && req.Method != http.MethodDelete {
		rest, _ := io.ReadAll(br)
		rest = bytes.TrimRight(rest, "\r\n")
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(rest)), int64(len(rest))
	}
	req.RequestURI = ""
	return req, nil
}
