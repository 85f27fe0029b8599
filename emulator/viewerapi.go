package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/mailscript/mailscript/emulator/store"
)

// viewerRoutes serves what the web viewer needs beyond the inspection API's listings: one
// message as the shared mail view, its parts, and the changes a person makes while reading.
//
//	GET    /_emulator/mailboxes/{mb}/messages/{id}            the message as a mailview.Message
//	PATCH  /_emulator/mailboxes/{mb}/messages/{id}            {"isRead": true|false}
//	DELETE /_emulator/mailboxes/{mb}/messages/{id}            delete it for good
//	GET    /_emulator/mailboxes/{mb}/messages/{id}/parts/{n}  attachment n, as a download
//	GET    /_emulator/sink/{id}/view, /parts/{n}; DELETE /_emulator/sink/{id}   the same for the sink
//	GET    /_emulator/events                                  server-sent events of store changes
//	GET    /_emulator/ui/{file}                               the viewer's script and style sheet
func (s *Server) viewerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_emulator/mailboxes/{mb}/messages/{id}", func(w http.ResponseWriter, r *http.Request) {
		m, err := s.store.Get(r.PathValue("mb"), r.PathValue("id"))
		if err != nil {
			writeProblem(w, err)
			return
		}
		folder := m.FolderID
		if f, err := s.store.Folder(m.MailboxID, m.FolderID); err == nil {
			folder = f.Name
		}
		writeJSON(w, 200, messageView(m, folder, messagePath(m.MailboxID, m.ID)))
	})
	mux.HandleFunc("PATCH /_emulator/mailboxes/{mb}/messages/{id}", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			IsRead *bool `json:"isRead"`
		}
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil || in.IsRead == nil {
			writeJSON(w, 400, map[string]string{"error": `body must be JSON like {"isRead": true}`})
			return
		}
		m, err := s.store.Update(r.PathValue("mb"), r.PathValue("id"), store.Change{IsRead: in.IsRead})
		if err != nil {
			writeProblem(w, err)
			return
		}
		writeJSON(w, 200, messageSummary(m))
	})
	mux.HandleFunc("DELETE /_emulator/mailboxes/{mb}/messages/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.store.Delete(r.PathValue("mb"), r.PathValue("id")); err != nil {
			writeProblem(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/mailboxes/{mb}/messages/{id}/parts/{n}", func(w http.ResponseWriter, r *http.Request) {
		m, err := s.store.Get(r.PathValue("mb"), r.PathValue("id"))
		if err != nil {
			writeProblem(w, err)
			return
		}
		servePart(w, m, r.PathValue("n"))
	})
	mux.HandleFunc("GET /_emulator/sink/{id}/view", func(w http.ResponseWriter, r *http.Request) {
		if m := s.parsedSink(w, r.PathValue("id")); m != nil {
			writeJSON(w, 200, messageView(m, "Sink", sinkPath(m.ID)))
		}
	})
	mux.HandleFunc("GET /_emulator/sink/{id}/parts/{n}", func(w http.ResponseWriter, r *http.Request) {
		if m := s.parsedSink(w, r.PathValue("id")); m != nil {
			servePart(w, m, r.PathValue("n"))
		}
	})
	mux.HandleFunc("DELETE /_emulator/sink/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.store.DeleteSinkMessage(r.PathValue("id")); err != nil {
			writeProblem(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/events", s.serveEvents)
	mux.Handle("GET /_emulator/ui/", viewerAssets())
}

// parsedSink finds and parses a sink message, answering the error itself when it cannot. A
// sink message that does not parse is shown by its envelope alone, read as it stands.
func (s *Server) parsedSink(w http.ResponseWriter, id string) *store.Message {
	sm, err := s.store.SinkMessage(id)
	if err != nil {
		writeProblem(w, err)
		return nil
	}
	m, err := sm.Parse()
	if err != nil {
		m = &store.Message{ID: sm.ID, Subject: sm.Subject, ReceivedAt: sm.ReceivedAt, From: store.Address{Address: sm.From}}
	}
	m.IsRead = true
	return m
}

// limitParam reads ?limit=N (N >= 0); absent means no limit (-1). A bad value is answered
// with 400 here, and ok is false.
func limitParam(w http.ResponseWriter, r *http.Request) (n int, ok bool) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return -1, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		writeJSON(w, 400, map[string]string{"error": "limit " + v + ": want a whole number of messages, 0 or more"})
		return 0, false
	}
	return n, true
}
