package fetch_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// app is the application under test that scripts drive: it echoes requests, parses forms,
// redirects, keeps a cookie session and can hang until the client gives up.
type app struct {
	*httptest.Server
	cancelled chan string // paths of requests whose client went away
	started   chan string // paths of slow requests that reached the handler
}

func newApp(t *testing.T, tlsServer bool) *app {
	t.Helper()
	a := &app{cancelled: make(chan string, 10), started: make(chan string, 10)}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		header := map[string]string{}
		for k := range r.Header {
			header[strings.ToLower(k)] = r.Header.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		_ = json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "header": header, "body": string(body), "query": r.URL.RawQuery})
	})
	mux.HandleFunc("/form", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		files := map[string]any{}
		for name, fhs := range r.MultipartForm.File {
			f, _ := fhs[0].Open()
			b, _ := io.ReadAll(f)
			files[name] = map[string]string{"filename": fhs[0].Filename, "type": fhs[0].Header.Get("Content-Type"), "content": string(b)}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"fields": r.MultipartForm.Value, "files": files})
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(r.PathValue("code"), &code)
		w.WriteHeader(code)
		fmt.Fprintf(w, "status %d", code)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo?from=redirect", http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	// The mail's link: it opens a session and sends the browser on to the welcome page.
	mux.HandleFunc("/verify", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") != "t0k3n" {
			http.Error(w, "bad token", http.StatusForbidden)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s-" + r.URL.Query().Get("user"), Path: "/", HttpOnly: true})
		http.Redirect(w, r, "/welcome", http.StatusSeeOther)
	})
	mux.HandleFunc("/welcome", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		if err != nil {
			http.Error(w, "please sign in", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "Welcome, %s", strings.TrimPrefix(c.Value, "s-"))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		a.started <- r.URL.Path
		<-r.Context().Done()
		a.cancelled <- r.URL.Path
	})
	// Answers once a /slow request is in its handler, so that a script can abort it then.
	mux.HandleFunc("/started", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, <-a.started)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 1<<20)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/announced", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(100<<20))
		w.WriteHeader(http.StatusOK)
	})
	a.Server = httptest.NewUnstartedServer(mux)
	// The refused handshakes the TLS tests cause are expected, not worth a log line.
	a.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tlsServer {
		a.StartTLS()
	} else {
		a.Start()
	}
	t.Cleanup(a.Close)
	return a
}
