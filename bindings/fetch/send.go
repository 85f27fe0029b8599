package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/internal/mailview"
)

// maxBody bounds a response body held in memory: generous for pages and API answers, small
// enough that a runaway download cannot take the machine down.
const maxBody = 64 << 20

// request is what the JS side hands to send, already checked there and copied out of the VM.
type request struct {
	url         string
	method      string
	header      http.Header
	body        []byte
	hasBody     bool
	contentType string // for a FormData body, unless the script set Content-Type
	redirect    string // follow, manual or error
	omitCookies bool
}

// result is a response read whole, handed back to the loop.
type result struct {
	status     int
	statusText string
	url        string
	redirected bool
	header     [][2]string
	body       []byte
}

// send is native.send(spec): it starts the request and returns {promise, cancel}. cancel is
// what an AbortSignal calls; the JS side then rejects with the signal's reason.
func (s *Session) send(call goja.FunctionCall) goja.Value {
	rt := s.vu.Runtime()
	req, err := decode(rt, call.Argument(0).ToObject(rt))
	if err != nil {
		panic(rt.NewTypeError(err.Error()))
	}
	transport, terr := s.transportFor()
	client := &http.Client{Transport: transport, CheckRedirect: checkRedirect(req)}
	if !req.omitCookies {
		client.Jar = s.jar
	}
	ctx, cancel := context.WithCancel(s.vu.Context())
	step := bindings.OpenStep(s.vu, bindings.StepStart{Kind: "fetch", Name: req.method + " " + req.url, Args: req.describe})
	promise, abandon := bindings.AsyncAbortable(s.vu, bindings.Recorded(step, func(context.Context) (*result, error) {
		defer cancel()
		if terr != nil {
			return nil, fmt.Errorf("fetch %s failed: %w", req.url, terr)
		}
		return do(ctx, client, req)
	}, describe), func(rt *goja.Runtime, r *result) goja.Value { return r.toJS(rt) })
	out := rt.NewObject()
	_ = out.Set("promise", promise)
	_ = out.Set("cancel", func() { cancel(); abandon() })
	return out
}

// describe is a response as a report's timeline shows it: "200 OK".
func describe(_ context.Context, r *result) (string, []*mailview.Message) {
	return strings.TrimSpace(strconv.Itoa(r.status) + " " + r.statusText), nil
}

func do(ctx context.Context, client *http.Client, r *request) (*result, error) {
	var body io.Reader
	if r.hasBody {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, fmt.Errorf("fetch %s failed: %v", r.url, err)
	}
	req.Header = r.header
	if r.contentType != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "mailscript")
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "*/*")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, failure(ctx, r.url, err)
	}
	defer resp.Body.Close()
	if resp.ContentLength > maxBody {
		return nil, tooLarge(r.url, fmt.Sprintf("it announces %d bytes", resp.ContentLength))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, failure(ctx, r.url, fmt.Errorf("reading the response body: %w", err))
	}
	if len(data) > maxBody {
		return nil, tooLarge(r.url, "it goes on past that")
	}
	res := &result{
		status:     resp.StatusCode,
		statusText: strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" "),
		url:        resp.Request.URL.String(),
		redirected: resp.Request != req,
		body:       data,
	}
	for name, values := range resp.Header {
		for _, v := range values {
			res.header = append(res.header, [2]string{strings.ToLower(name), v})
		}
	}
	return res, nil
}

func tooLarge(url, detail string) error {
	return fmt.Errorf("fetch %s failed: the response body is larger than %d MiB (%s), the most a script may hold; ask the server for less (a smaller page, a Range header)", url, maxBody>>20, detail)
}

// redirectRefused is the error CheckRedirect returns for redirect: 'error'.
type redirectRefused struct{ to string }

func (e *redirectRefused) Error() string { return "redirected to " + e.to }

// checkRedirect applies the request's redirect mode, with the standard's limit of 20.
func checkRedirect(r *request) func(*http.Request, []*http.Request) error {
	return func(next *http.Request, via []*http.Request) error {
		switch {
		case r.redirect == "manual":
			return http.ErrUseLastResponse
		case r.redirect == "error":
			return &redirectRefused{to: next.URL.String()}
		case len(via) >= 20:
			return errors.New("more than 20 redirects")
		}
		return nil
	}
}

func (r *result) toJS(rt *goja.Runtime) goja.Value {
	header := make([]any, len(r.header))
	for i, h := range r.header {
		header[i] = rt.NewArray(h[0], h[1])
	}
	obj := rt.NewObject()
	_ = obj.Set("status", r.status)
	_ = obj.Set("statusText", r.statusText)
	_ = obj.Set("url", r.url)
	_ = obj.Set("redirected", r.redirected)
	_ = obj.Set("headers", rt.NewArray(header...))
	_ = obj.Set("body", rt.NewArrayBuffer(r.body))
	return obj
}

// maxShownBody is how much of a text body the timeline shows.
const maxShownBody = 300

// describe is the request as the timeline shows it beside its method and URL: the names of
// the headers set (their values may be a session's tokens), the body's type and size, and
// the start of a text body (form fields, JSON); the step recorder masks secrets in it.
func (req *request) describe() string {
	var parts []string
	var names []string
	for k := range req.header {
		if !strings.EqualFold(k, "Content-Type") {
			names = append(names, strings.ToLower(k))
		}
	}
	if len(names) > 0 {
		slices.Sort(names)
		parts = append(parts, "headers: "+strings.Join(names, ", "))
	}
	if !req.hasBody {
		return strings.Join(parts, "; ")
	}
	ct := req.header.Get("Content-Type")
	if ct == "" {
		ct = req.contentType
	}
	body := fmt.Sprintf("body: %d bytes", len(req.body))
	if ct != "" {
		body += " of " + ct
	}
	media, _, _ := mime.ParseMediaType(ct)
	if text := strings.HasPrefix(media, "text/") || media == "application/json" || media == "application/x-www-form-urlencoded" || strings.HasSuffix(media, "+json"); text && utf8.Valid(req.body) {
		shown := string(req.body)
		if len(shown) > maxShownBody {
			shown = strings.ToValidUTF8(shown[:maxShownBody], "") + "…"
		}
		body += ": " + shown
	}
	return strings.Join(append(parts, body), "; ")
}
