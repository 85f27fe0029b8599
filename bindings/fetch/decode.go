package fetch

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings/secret"
)

// decode copies the JS side's request spec out of the VM (its ArrayBuffers belong to the VM
// and may change after send returns) and reveals secrets, which only the wire sees. The JS
// side has checked the URL, method, modes and header names already.
func decode(rt *goja.Runtime, spec *goja.Object) (*request, error) {
	r := &request{
		url:         spec.Get("url").String(),
		method:      spec.Get("method").String(),
		header:      http.Header{},
		redirect:    spec.Get("redirect").String(),
		omitCookies: spec.Get("credentials").String() == "omit",
	}
	for _, pair := range list(rt, spec.Get("headers")) {
		kv := list(rt, pair)
		r.header.Add(kv[0].String(), text(kv[1]))
	}
	body := spec.Get("body")
	if body == nil || goja.IsUndefined(body) || goja.IsNull(body) {
		return r, nil
	}
	r.hasBody = true
	b := body.ToObject(rt)
	switch {
	case b.Get("bytes") != nil:
		r.body = bytesOf(b.Get("bytes"))
	case b.Get("secret") != nil:
		r.body = []byte(text(b.Get("secret")))
	case b.Get("form") != nil:
		var err error
		if r.body, r.contentType, err = multipartBody(rt, list(rt, b.Get("form"))); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("fetch: internal error: unknown body kind")
	}
	return r, nil
}

// multipartBody encodes FormData entries as multipart/form-data, as a browser submits a form.
func multipartBody(rt *goja.Runtime, entries []goja.Value) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, e := range entries {
		kv := list(rt, e)
		name := kv[0].String()
		file, ok := kv[1].(*goja.Object)
		if _, isSecret := secret.Of(kv[1]); !ok || isSecret {
			if err := w.WriteField(name, text(kv[1])); err != nil {
				return nil, "", err
			}
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", multipart.FileContentDisposition(name, file.Get("name").String()))
		ct := file.Get("type").String()
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		part, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := part.Write(bytesOf(file.Get("bytes"))); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// text is a string value, or the real value of a secret.
func text(v goja.Value) string {
	if s, ok := secret.Of(v); ok {
		return s.Reveal()
	}
	return v.String()
}

// bytesOf copies an ArrayBuffer's contents.
func bytesOf(v goja.Value) []byte {
	if ab, ok := v.Export().(goja.ArrayBuffer); ok {
		return bytes.Clone(ab.Bytes())
	}
	return nil
}

func list(rt *goja.Runtime, v goja.Value) []goja.Value {
	obj := v.ToObject(rt)
	n := int(obj.Get("length").ToInteger())
	out := make([]goja.Value, n)
	for i := range out {
		out[i] = obj.Get(fmt.Sprint(i))
	}
	return out
}
