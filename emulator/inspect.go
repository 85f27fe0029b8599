package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// inspection serves /_emulator/: a JSON API to look at and drive the emulator.
//
//	GET    /_emulator/                         index: URLs and routes
//	GET    /_emulator/env                      the MAILSCRIPT_* settings
//	GET    /_emulator/mailboxes                mailboxes with message counts and folders
//	GET    /_emulator/mailboxes/{mb}/messages  messages (?folder=sent as folderParam reads it,
//	                                           ?q= search, ?limit=),
//	                                           newest first; X-Total-Count: all that matched
//	POST   /_emulator/mailboxes/{mb}/messages  inject a message as received: RFC 5322 body
//	                                           (?folder=&read=true), or JSON {"raw"} / {"from",
//	                                           "subject","text","html"}
//	GET    /_emulator/mailboxes/{mb}/messages/{id}/raw   the RFC 5322 bytes
//	GET    /_emulator/sink                     mail for unknown addresses, parsed (?to=, ?subject=,
//	                                           ?q= search, ?limit=), oldest first
//	DELETE /_emulator/sink                     forget it
//	GET    /_emulator/sink/{id}, {id}/raw      one message as JSON, its RFC 5322 source
//	POST   /_emulator/reset                    back to the seed (tokens revoked)
//	GET    /_emulator/counts, DELETE to zero   requests per face and route (Server.Counts)
//	GET    /_emulator/counts/totals            per-face totals (Server.Totals)
//	GET    /_emulator/faults, PUT to change    injected faults (Faults; PUT replaces them all)
//
// ?q= matches, case-insensitively, a substring of the subject, a sender's or recipient's name
// or address, or the body's text. The viewer's routes (viewerRoutes) and page (viewer) join it.
func (s *Server) inspection() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_emulator/{$}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"url": s.url, "graph": s.url + "/v1.0", "gmail": s.url + "/gmail/v1", "smtp": s.smtp.Addr(),
			"routes": []string{"GET /_emulator/env", "GET /_emulator/mailboxes", "GET|POST /_emulator/mailboxes/{mailbox}/messages",
				"GET /_emulator/mailboxes/{mailbox}/messages/{id}/raw", "GET|DELETE /_emulator/sink", "GET /_emulator/sink/{id}",
				"GET /_emulator/sink/{id}/raw", "POST /_emulator/reset",
				"GET|DELETE /_emulator/counts", "GET /_emulator/counts/totals", "GET|PUT /_emulator/faults",
				"GET|PATCH|DELETE /_emulator/mailboxes/{mailbox}/messages/{id}", "GET /_emulator/mailboxes/{mailbox}/messages/{id}/parts/{n}",
				"GET /_emulator/sink/{id}/view", "GET /_emulator/sink/{id}/parts/{n}", "DELETE /_emulator/sink/{id}", "GET /_emulator/events"},
			"viewer": s.url + "/"})
	})
	mux.HandleFunc("GET /_emulator/env", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Env()) })
	mux.HandleFunc("GET /_emulator/mailboxes", s.inspectMailboxes)
	mux.HandleFunc("GET /_emulator/mailboxes/{mb}/messages", s.inspectMessages)
	mux.HandleFunc("POST /_emulator/mailboxes/{mb}/messages", s.injectMessage)
	mux.HandleFunc("GET /_emulator/mailboxes/{mb}/messages/{id}/raw", func(w http.ResponseWriter, r *http.Request) {
		m, err := s.store.Get(r.PathValue("mb"), r.PathValue("id"))
		if err != nil {
			writeProblem(w, err)
			return
		}
		w.Header().Set("Content-Type", "message/rfc822")
		_, _ = w.Write(m.Raw)
	})
	s.sinkHandlers(mux)
	mux.HandleFunc("POST /_emulator/reset", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Reset(); err != nil {
			writeProblem(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/counts", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Counts()) })
	mux.HandleFunc("GET /_emulator/counts/totals", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Totals()) })
	mux.HandleFunc("DELETE /_emulator/counts", func(w http.ResponseWriter, r *http.Request) {
		s.ResetCounts()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, faultsJSON(s.CurrentFaults())) })
	mux.HandleFunc("PUT /_emulator/faults", s.putFaults)
	s.viewerRoutes(mux)
	return mux
}

// Reset returns the store to the seed: same ids, same credentials, tokens revoked.
func (s *Server) Reset() error {
	s.store.Reset()
	return s.applySeed()
}

func (s *Server) inspectMailboxes(w http.ResponseWriter, r *http.Request) {
	mbs := s.store.Mailboxes()
	sort.Slice(mbs, func(i, j int) bool { return mbs[i].Address < mbs[j].Address })
	out := []map[string]any{}
	for _, mb := range mbs {
		total, unread := 0, 0
		perFolder := map[string]*[2]int{} // folder id -> messages, unread
		_, _ = s.store.List(mb.ID, store.Query{Match: func(m *store.Message) bool {
			total++
			if !m.IsRead {
				unread++
			}
			for _, f := range append([]string{m.FolderID}, m.Labels...) {
				c := perFolder[f]
				if c == nil {
					c = &[2]int{}
					perFolder[f] = c
				}
				c[0]++
				if !m.IsRead {
					c[1]++
				}
			}
			return false
		}})
		fs, _ := s.store.Folders(mb.ID)
		folders := make([]map[string]any, 0, len(fs))
		for _, f := range fs {
			c := perFolder[f.ID]
			if c == nil {
				// Gmail has no outbox: the store keeps one for every mailbox, but a Google
				// mailbox lists it only if something was injected there.
				if mb.Kind == store.Google && f.WellKnown == store.Outbox {
					continue
				}
				c = &[2]int{}
			}
			folders = append(folders, map[string]any{"id": f.ID, "name": f.Name, "wellKnown": f.WellKnown, "parentId": f.ParentID,
				"messages": c[0], "unread": c[1]})
		}
		out = append(out, map[string]any{"id": mb.ID, "address": mb.Address, "displayName": mb.DisplayName, "kind": mb.Kind,
			"tenantId": mb.TenantID, "domain": mb.Domain, "messages": total, "unread": unread, "folders": folders})
	}
	writeJSON(w, 200, out)
}

func (s *Server) inspectMessages(w http.ResponseWriter, r *http.Request) {
	limit, ok := limitParam(w, r)
	if !ok {
		return
	}
	q := searchTerm(r)
	folder, err := s.folderParam(r.PathValue("mb"), r.URL.Query().Get("folder"))
	if err != nil {
		writeProblem(w, err)
		return
	}
	ms, err := s.store.List(r.PathValue("mb"), store.Query{Folder: folder,
		Match: func(m *store.Message) bool { return matchesSearch(m, q) }})
	if err != nil {
		writeProblem(w, err)
		return
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(len(ms)))
	if limit >= 0 && limit < len(ms) {
		ms = ms[:limit]
	}
	out := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		out = append(out, messageSummary(m))
	}
	writeJSON(w, 200, out)
}

func messageSummary(m *store.Message) map[string]any {
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = a.Address
	}
	labels := m.Labels
	if labels == nil {
		labels = []string{} // a list in JSON, as in the events, never null
	}
	return map[string]any{"id": m.ID, "folderId": m.FolderID, "labels": labels, "subject": m.Subject, "from": m.From.Address,
		"fromName": m.From.Name, "to": to, "receivedAt": m.ReceivedAt, "isRead": m.IsRead, "messageId": m.MessageID, "preview": m.Preview,
		"attachments": len(m.Attachments), "hasAttachments": m.HasAttachments()}
}

func (s *Server) injectMessage(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body) // guard caps it at maxInjectBody
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		refuse(w, "inspect", http.StatusRequestEntityTooLarge, fmt.Sprintf("The message is over %d bytes.", tooBig.Limit))
		return
	}
	if err != nil {
		writeProblem(w, err)
		return
	}
	q := r.URL.Query()
	opt := store.InsertOptions{Folder: q.Get("folder"), IsRead: q.Get("read") == "true"}
	raw := body
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var in struct {
			Raw, Folder, Subject, Text, HTML string
			From                             string
			IsRead                           bool
		}
		if err := json.Unmarshal(body, &in); err != nil {
			writeJSON(w, 400, map[string]string{"error": `JSON body: want {"raw": "..."} or {"from","subject","text","html"}`})
			return
		}
		opt.Folder, opt.IsRead = firstNonEmpty(in.Folder, opt.Folder), in.IsRead || opt.IsRead
		raw = []byte(in.Raw)
		if in.Raw == "" {
			mb, _ := s.store.Mailbox(r.PathValue("mb"))
			raw, _ = store.Compose(store.Outgoing{From: firstAddress(in.From), To: []store.Address{{Name: mb.DisplayName, Address: mb.Address}},
				Subject: in.Subject, Text: in.Text, HTML: in.HTML, Date: s.store.Now()})
		}
	}
	if opt.Folder, err = s.folderParam(r.PathValue("mb"), opt.Folder); err != nil {
		writeProblem(w, err)
		return
	}
	m, err := s.store.Insert(r.PathValue("mb"), raw, opt)
	if err != nil {
		writeProblem(w, err)
		return
	}
	writeJSON(w, 201, messageSummary(m))
}

func firstAddress(s string) store.Address {
	if as := store.ParseAddressList(s); len(as) > 0 {
		return as[0]
	}
	return store.Address{Address: "sender@example.net"}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func writeProblem(w http.ResponseWriter, err error) {
	status := 500
	switch {
	case errors.Is(err, store.ErrNotFound):
		status = 404
	case errors.Is(err, store.ErrInvalid):
		status = 400
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
