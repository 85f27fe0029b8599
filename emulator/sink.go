package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/internal/htmltext"
)

// sinkDoc is one sink message on the wire, parsed like hosted mail so that a test can check
// an application's mail to customers without a mailbox: who, what, and the links to follow.
type sinkDoc struct {
	ID           string          `json:"id"`
	EnvelopeFrom string          `json:"envelopeFrom"`
	Recipients   []string        `json:"recipients"`
	From         string          `json:"from"`
	To           []string        `json:"to"`
	Cc           []string        `json:"cc"`
	Subject      string          `json:"subject"`
	Date         *time.Time      `json:"date"`
	ReceivedAt   time.Time       `json:"receivedAt"`
	MessageID    string          `json:"messageId"`
	Text         string          `json:"text"`
	HTML         string          `json:"html"`
	Links        []string        `json:"links"`
	Attachments  []attachmentDoc `json:"attachments"`
	Raw          string          `json:"raw"` // the /raw URL of the RFC 5322 source
}

type attachmentDoc struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Size        int    `json:"size"`
	Inline      bool   `json:"inline"`
}

// sinkHandlers serves GET (?to=, ?subject=) and DELETE /_emulator/sink, one message as JSON at
// /_emulator/sink/{id} and its source at /_emulator/sink/{id}/raw.
func (s *Server) sinkHandlers(mux *http.ServeMux) {
	mux.HandleFunc("GET /_emulator/sink", func(w http.ResponseWriter, r *http.Request) {
		to, subject := strings.ToLower(r.URL.Query().Get("to")), strings.ToLower(r.URL.Query().Get("subject"))
		q := searchTerm(r)
		limit, ok := limitParam(w, r)
		if !ok {
			return
		}
		var matched []store.SinkMessage
		for _, m := range s.store.Sink() {
			if to != "" && !hasAddress(m.Recipients, to) {
				continue
			}
			if subject != "" && !strings.Contains(strings.ToLower(m.Subject), subject) {
				continue
			}
			if q != "" {
				if p, err := m.Parse(); err != nil || !matchesSearch(p, q, append([]string{m.From}, m.Recipients...)...) {
					continue
				}
			}
			matched = append(matched, m)
		}
		w.Header().Set("X-Total-Count", strconv.Itoa(len(matched)))
		out := []sinkDoc{}
		for _, m := range matched {
			if limit >= 0 && len(out) == limit {
				break
			}
			out = append(out, s.sinkJSON(m))
		}
		writeJSON(w, 200, out)
	})
	mux.HandleFunc("DELETE /_emulator/sink", func(w http.ResponseWriter, r *http.Request) {
		s.store.ClearSink()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/sink/{id}", func(w http.ResponseWriter, r *http.Request) {
		m, err := s.store.SinkMessage(r.PathValue("id"))
		if err != nil {
			writeProblem(w, err)
			return
		}
		writeJSON(w, 200, s.sinkJSON(m))
	})
	mux.HandleFunc("GET /_emulator/sink/{id}/raw", func(w http.ResponseWriter, r *http.Request) {
		m, err := s.store.SinkMessage(r.PathValue("id"))
		if err != nil {
			writeProblem(w, err)
			return
		}
		w.Header().Set("Content-Type", "message/rfc822")
		_, _ = w.Write(m.Raw)
	})
}

func hasAddress(list []string, lower string) bool {
	for _, a := range list {
		if strings.ToLower(a) == lower {
			return true
		}
	}
	return false
}

func (s *Server) sinkJSON(m store.SinkMessage) sinkDoc {
	d := sinkDoc{ID: m.ID, EnvelopeFrom: m.From, Recipients: m.Recipients, Subject: m.Subject, ReceivedAt: m.ReceivedAt,
		MessageID: m.MessageID, To: []string{}, Cc: []string{}, Links: []string{}, Attachments: []attachmentDoc{},
		Raw: s.url + "/_emulator/sink/" + m.ID + "/raw"}
	p, err := m.Parse()
	if err != nil {
		return d // no header fields: nothing more to show than the envelope
	}
	d.From, d.Text, d.HTML = p.From.Address, lf(p.Text), lf(p.HTML)
	for _, a := range p.To {
		d.To = append(d.To, a.Address)
	}
	for _, a := range p.Cc {
		d.Cc = append(d.Cc, a.Address)
	}
	if !p.SentAt.IsZero() {
		d.Date = &p.SentAt
	}
	d.Links = htmltext.Links(p.Text, p.HTML)
	for _, a := range p.Attachments {
		d.Attachments = append(d.Attachments, attachmentDoc{Name: a.Name, ContentType: a.ContentType, Size: len(a.Data), Inline: a.Inline})
	}
	return d
}
