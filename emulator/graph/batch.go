package graph

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// maxBatch is JSON batching's limit of requests per $batch.
const maxBatch = 20

// batchParallel is how many of a batch's requests Graph runs at once when none uses
// dependsOn ("4 requests will be executed in parallel at any point", Graph throttling
// limits, Outlook service batching).
const batchParallel = 4

type batchRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

// recorder captures a sub-request's response.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}

// serveBatch runs up to 20 requests with the outer request's credentials: in order when any
// uses dependsOn (a request whose dependency failed gets 424), else up to 4 at a time.
func (f *Face) serveBatch(w http.ResponseWriter, r *http.Request) *apiError {
	if r.Method != http.MethodPost {
		return errMethod()
	}
	var body struct {
		Requests []batchRequest `json:"requests"`
	}
	if e := decodeJSON(r, &body); e != nil {
		return e
	}
	if len(body.Requests) == 0 {
		return errBadRequest("Invalid batch payload format.")
	}
	if len(body.Requests) > maxBatch {
		return errBadRequest("Number of batch request steps exceeds the maximum of 20.")
	}
	seen, serial := map[string]bool{}, false
	for _, br := range body.Requests {
		if br.ID == "" || seen[br.ID] {
			return errBadRequest("Batch request ids must be present and unique.")
		}
		seen[br.ID] = true
		serial = serial || len(br.DependsOn) > 0
	}
	var call http.Handler = http.HandlerFunc(f.serveGraph)
	if f.opts.Batch != nil {
		var done func()
		call, done = f.opts.Batch(serial, call) // Graph runs a batch with dependsOn in order, others at once
		defer done()
	}
	var responses []any
	if serial {
		responses = runSerial(call, r, body.Requests)
	} else {
		responses = runParallel(call, r, body.Requests)
	}
	writeJSON(w, http.StatusOK, object{{"responses", responses}})
	return nil
}

// runSerial runs the requests one after another; one whose dependency failed gets 424.
func runSerial(call http.Handler, r *http.Request, reqs []batchRequest) []any {
	status := map[string]int{}
	responses := make([]any, 0, len(reqs))
	for _, br := range reqs {
		failedDep := false
		for _, d := range br.DependsOn {
			if s, ok := status[d]; !ok || s >= 400 {
				failedDep = true
			}
		}
		if failedDep {
			status[br.ID] = http.StatusFailedDependency
			responses = append(responses, object{{"id", br.ID}, {"status", http.StatusFailedDependency}, {"headers", map[string]string{}}, {"body", object{{"error", object{{"code", "BadRequest"}, {"message", "Failed dependency."}}}}}})
			continue
		}
		rec := runSub(call, r, br)
		status[br.ID] = rec.status
		responses = append(responses, subResponse(br, rec))
	}
	return responses
}

// runParallel runs the requests batchParallel at a time, taking them in order; the answers
// keep the requests' order.
func runParallel(call http.Handler, r *http.Request, reqs []batchRequest) []any {
	responses := make([]any, len(reqs))
	next := make(chan int, len(reqs))
	for i := range reqs {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(batchParallel, len(reqs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				responses[i] = subResponse(reqs[i], runSub(call, r, reqs[i]))
			}
		}()
	}
	wg.Wait()
	return responses
}

func subResponse(br batchRequest, rec *recorder) any {
	return object{{"id", br.ID}, {"status", rec.status}, {"headers", flatHeaders(rec.header)}, {"body", subBody(rec)}}
}

func runSub(call http.Handler, outer *http.Request, br batchRequest) *recorder {
	u := br.URL
	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	var body []byte
	if len(br.Body) > 0 && string(br.Body) != "null" {
		body = br.Body
	}
	sub, err := http.NewRequestWithContext(outer.Context(), strings.ToUpper(br.Method), "/v1.0"+u, bytes.NewReader(body))
	rec := &recorder{header: http.Header{}}
	if err != nil {
		rec.status = http.StatusBadRequest
		rec.body.WriteString(`{"error":{"code":"BadRequest","message":"Invalid request URL."}}`)
		return rec
	}
	for k, v := range br.Headers {
		sub.Header.Set(k, v)
	}
	if body != nil && sub.Header.Get("Content-Type") == "" {
		sub.Header.Set("Content-Type", "application/json")
	}
	sub.Header.Set("Authorization", outer.Header.Get("Authorization"))
	call.ServeHTTP(rec, sub)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec
}

func flatHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		switch strings.ToLower(k) {
		case "content-type", "location", "retry-after", "preference-applied", "www-authenticate", "odata-version":
			out[k] = strings.Join(v, ",")
		}
	}
	return out
}

// subBody embeds JSON as JSON and anything else (e.g. $value) as base64, as Graph does.
func subBody(rec *recorder) any {
	b := rec.body.Bytes()
	if len(b) == 0 {
		return nil
	}
	if strings.HasPrefix(rec.header.Get("Content-Type"), "application/json") {
		return json.RawMessage(bytes.TrimSpace(b))
	}
	return base64.StdEncoding.EncodeToString(b)
}
