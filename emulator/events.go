package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// defaultHeartbeat is how often an idle event stream sends a comment, so that proxies and
// browsers keep it open and a vanished client is noticed by the failed write.
const defaultHeartbeat = 15 * time.Second

// serveEvents streams the store's changes as server-sent events until the client goes away
// or the server closes:
//
//	event: change   data: {"kind":"messageAdded","mailbox":"<id>","address":"<address>","id":"<message id>","labels":[...]}
//	event: resync   data: {}   (events were dropped because the client read too slowly: re-read all)
//
// kind is one of store's event kinds (messageAdded, messageDeleted, labelsAdded, labelsRemoved,
// updated, sinkReceived, sinkDeleted, sinkCleared, folderAdded, mailboxAdded, reset).
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	sub := s.store.Subscribe(0)
	defer sub.Close()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	// The retry hint and a first comment reach the client at once: it knows the stream is open
	// before anything changes.
	if _, err := fmt.Fprint(w, "retry: 2000\n: mailscript emulator events\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	beat := s.heartbeat()
	tick := time.NewTicker(beat)
	defer tick.Stop()
	for {
		var err error
		// A client that stops reading fails the write instead of holding the handler forever.
		_ = rc.SetWriteDeadline(time.Now().Add(2 * beat))
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-tick.C:
			_, err = fmt.Fprint(w, ": heartbeat\n\n")
		case e, open := <-sub.C:
			if !open {
				return
			}
			doc := eventDoc{Event: e}
			if mb, ok := s.store.Mailbox(e.MailboxID); ok && e.MailboxID != "" {
				doc.Address = mb.Address // what the inspection routes take, beside the stable id
			}
			data, _ := json.Marshal(doc)
			_, err = fmt.Fprintf(w, "event: change\ndata: %s\n\n", data)
			if err == nil && sub.Missed() {
				_, err = fmt.Fprint(w, "event: resync\ndata: {}\n\n")
			}
		}
		if err != nil || rc.Flush() != nil {
			return
		}
	}
}

func (s *Server) heartbeat() time.Duration {
	if d := time.Duration(s.beat.Load()); d > 0 {
		return d
	}
	return defaultHeartbeat
}

// eventDoc is a change event as the stream sends it: the store's event and, for a mailbox's,
// the mailbox's address.
type eventDoc struct {
	store.Event
	Address string `json:"address,omitempty"`
}
