package fetch

import (
	_ "embed"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/mailscript/mailscript/bindings"
	"github.com/mailscript/mailscript/bindings/secret"
	"golang.org/x/net/publicsuffix"
)

// The WHATWG classes are plain JavaScript over one native primitive (send): they hold no
// protocol logic, only the API's shape and argument checks. The files run in this order.
var (
	//go:embed js/headers.js
	headersJS string
	//go:embed js/abort.js
	abortJS string
	//go:embed js/blob.js
	blobJS string
	//go:embed js/body.js
	bodyJS string
	//go:embed js/request.js
	requestJS string
	//go:embed js/response.js
	responseJS string
	//go:embed js/fetch.js
	fetchJS string
	//go:embed js/inspect.js
	inspectJS string
)

// globals are what the JS files return and Install puts on the global object.
var globals = []string{"fetch", "Headers", "Request", "Response", "FormData", "Blob", "File", "AbortController", "AbortSignal", "DOMException"}

// program is the JS side, compiled once per process: a goja.Program is immutable and every VM
// (one per test file, and each fresh one after a restart) runs the same.
var program = sync.OnceValues(func() (*goja.Program, error) {
	src := "(function (native, setTimeout, clearTimeout, URL, URLSearchParams, TextEncoder, TextDecoder) {\n'use strict';\n" +
		headersJS + abortJS + blobJS + bodyJS + requestJS + responseJS + fetchJS + inspectJS +
		"\nreturn { " + strings.Join(globals, ", ") + " };\n})"
	// The runtime leaves frames of a .bundle.js without a source map out of the stacks and
	// locations scripts see: errors point at the script's call, not in here.
	return goja.Compile("mailscript-fetch.bundle.js", src, true)
})

// Session is the fetch state of one VM: the transport (built on first use, from the
// environment the script sees) and the cookie jar of the running test.
type Session struct {
	vu        bindings.VU
	transport *http.Transport
	jar       *cookiejar.Jar
}

// Install defines fetch and its classes on global. Call Reset when a test ends. The classes
// are built when a script first touches one of them: most files never fetch, and building
// them would add milliseconds to every VM.
func Install(vu bindings.VU, global *goja.Object) (*Session, error) {
	s := &Session{vu: vu, jar: newJar()}
	rt := vu.Runtime()
	// Taken now, so that a script replacing setTimeout or URL later does not change fetch.
	deps := []goja.Value{s.native()}
	for _, name := range []string{"setTimeout", "clearTimeout", "URL", "URLSearchParams", "TextEncoder", "TextDecoder"} {
		v := global.Get(name)
		if v == nil || goja.IsUndefined(v) {
			return nil, fmt.Errorf("fetch: install %s first", name)
		}
		deps = append(deps, v)
	}
	var exports *goja.Object
	load := func() *goja.Object {
		if exports == nil {
			obj, err := build(rt, deps)
			if err != nil {
				panic(rt.NewGoError(err))
			}
			exports = obj
			for _, name := range globals {
				_ = global.DefineDataProperty(name, obj.Get(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			}
		}
		return exports
	}
	for _, name := range globals {
		get := rt.ToValue(func() goja.Value { return load().Get(name) })
		set := rt.ToValue(func(v goja.Value) {
			load()
			_ = global.Set(name, v)
		})
		if err := global.DefineAccessorProperty(name, get, set, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// native is what the JS side may call in Go.
func (s *Session) native() *goja.Object {
	obj := s.vu.Runtime().NewObject()
	_ = obj.Set("send", s.send)
	_ = obj.Set("isSecret", func(v goja.Value) bool { _, ok := secret.Of(v); return ok })
	return obj
}

// build runs the JS side with its dependencies and returns its exports.
func build(rt *goja.Runtime, deps []goja.Value) (*goja.Object, error) {
	prg, err := program()
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	fnv, err := rt.RunProgram(prg)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	fn, ok := goja.AssertFunction(fnv)
	if !ok {
		return nil, fmt.Errorf("fetch: the script is not a function")
	}
	exports, err := fn(goja.Undefined(), deps...)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	return exports.ToObject(rt), nil
}

// Reset starts a new browsing session, as a fresh browser profile would: the cookies are
// forgotten and idle connections closed. The runtime calls it when a test ends, so each test
// starts with an empty jar; a REPL keeps one jar until it closes.
func (s *Session) Reset() {
	s.jar = newJar()
	if s.transport != nil {
		s.transport.CloseIdleConnections()
	}
}

func newJar() *cookiejar.Jar {
	// publicsuffix keeps a site from setting a cookie for a whole registry (co.uk, github.io).
	jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		panic(err) // cookiejar.New never fails
	}
	return jar
}
