package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mailscript/mailscript/emulator/gmail"
)

// requestKind sorts the requests a face serves, for counting and for deciding which faults
// apply.
type requestKind int

const (
	apiRequest    requestKind = iota // Graph, Gmail, upload sessions
	tokenRequest                     // the Entra and Google token endpoints
	signInRequest                    // other sign-in traffic: OpenID configuration, discovery
)

func kindOf(path string) requestKind {
	for _, p := range []string{"/v1.0/", "/gmail/", "/upload/gmail/", "/batch/gmail/", "/api/v2.0/"} {
		if strings.HasPrefix(path, p) {
			return apiRequest
		}
	}
	if path == gmail.TokenPath || strings.HasSuffix(path, "/oauth2/v2.0/token") {
		return tokenRequest
	}
	return signInRequest
}

// isBatch tells the batch envelopes, whose calls are counted and faulted one by one.
func isBatch(path string) bool { return path == "/batch/gmail/v1" || path == "/v1.0/$batch" }

// middleware counts, then applies faults in the order a client would meet them: a dropped
// connection, latency, the cost model's limits and service time (throttle), a random failure,
// and last a connection dropped after the request was served.
func (s *Server) middleware(face string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := kindOf(r.URL.Path)
		s.counts.add(face, kind, isBatch(r.URL.Path), r.Method+" "+routeOf(r.URL.Path))
		f := s.faults.Load()
		if kind == signInRequest || kind == tokenRequest && !f.SignIn {
			next.ServeHTTP(w, r)
			return
		}
		out := f.draw(s.roll)
		if out.drop {
			noteFault(w, "drop")
			panic(http.ErrAbortHandler) // net/http closes the connection without a response
		}
		if f.Latency > 0 {
			noteFault(w, "latency "+f.Latency.String())
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if kind == apiRequest && !isBatch(r.URL.Path) {
			release, ok := s.throttle(w, r, face, f)
			if !ok {
				return
			}
			defer release()
		}
		if out.status != 0 {
			noteFault(w, "fail "+strconv.Itoa(out.status))
			writeFault(w, face, kind, out.status, false)
			return
		}
		if out.dropAfter {
			noteFault(w, "dropAfter")
			next.ServeHTTP(&discardWriter{header: http.Header{}}, r)
			panic(http.ErrAbortHandler)
		}
		next.ServeHTTP(w, r)
	})
}

// batchCalls returns the hook the faces run each call inside a batch through. A call is what
// quota and throttling count, so it is counted on its own route, held to the cost model and
// failed at the configured rates; latency and dropped connections belong to the batch's one
// HTTP exchange and are not repeated per call. The Graph face runs up to 4 calls at once
// (dependsOn ones in order), each holding its slot for its service time, as Graph does. Gmail
// fans a batch's calls out at once, so they keep their slots until the batch is answered.
func (s *Server) batchCalls(face string) func(serial bool, next http.Handler) (http.Handler, func()) {
	return func(serial bool, next http.Handler) (http.Handler, func()) {
		var (
			mu   sync.Mutex
			held []func()
		)
		call := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.counts.addCall(face, r.Method+" "+routeOf(r.URL.Path))
			f := s.faults.Load()
			release, ok := s.throttle(w, r, face, f)
			if !ok {
				return
			}
			if serial || face == "graph" {
				defer release()
			} else {
				mu.Lock()
				held = append(held, release)
				mu.Unlock()
			}
			if status := f.draw(s.roll).status; status != 0 {
				writeFault(w, face, apiRequest, status, false)
				return
			}
			next.ServeHTTP(w, r)
		})
		return call, func() {
			mu.Lock()
			defer mu.Unlock()
			for _, release := range held {
				release()
			}
		}
	}
}

// mailboxKey names the mailbox a request acts on, resolved through the store so that an id,
// an address in any case and Gmail's "me" (through the token's user) share one limit. It is ""
// for requests that name no mailbox, or whose "me" token is unknown (they fail with 401).
func (s *Server) mailboxKey(face string, r *http.Request) string {
	ref := userRef(r.URL.Path)
	if ref == "me" {
		raw := strings.TrimSpace(r.Header.Get("Authorization"))
		if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
			raw = strings.TrimSpace(raw[7:])
		} else {
			raw = r.URL.Query().Get("access_token")
		}
		tok, _ := s.store.LookupToken(raw)
		ref = tok.Subject
	}
	if ref == "" {
		return ""
	}
	if mb, ok := s.store.Mailbox(ref); ok {
		return face + " " + mb.ID
	}
	return face + " " + strings.ToLower(ref)
}

// userRef is the user segment of an API path: users/{ref} on Graph and Gmail, Users('{ref}')
// in an upload-session URL.
func userRef(path string) string {
	seg := strings.Split(path, "/")
	for i, s := range seg {
		if s == "users" && i+1 < len(seg) {
			return strings.Trim(seg[i+1], "()'")
		}
		if rest, ok := strings.CutPrefix(s, "Users("); ok {
			return strings.Trim(rest, "()'")
		}
	}
	return ""
}

// discardWriter takes the answer of a request whose connection is then dropped.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
