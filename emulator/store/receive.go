package store

import (
	"fmt"
	"strings"
	"time"
)

// Envelope is the SMTP envelope of a message received over SMTP.
type Envelope struct {
	From string   // MAIL FROM; empty for a bounce (MAIL FROM:<>)
	To   []string // RCPT TO addresses, in the order given
}

// Receive stores mail that arrived over SMTP, as the services' front doors do: trace (the
// Return-Path and Received fields an MTA adds) goes on top, Date and Message-ID are added when
// absent, and each envelope recipient the store hosts gets one copy in its inbox (a mailbox
// named twice gets one copy); the other recipients go to the sink. The envelope decides, not
// the To/Cc header fields: that is how Bcc recipients get their copy.
func (s *Store) Receive(raw []byte, env Envelope, trace []Header) (DeliverResult, error) {
	if len(env.To) == 0 {
		return DeliverResult{}, fmt.Errorf("%w: the envelope has no recipients", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	head, _ := splitMessage(raw)
	domain := "emulator.mailscript.invalid"
	if at := strings.LastIndex(env.From, "@"); at >= 0 && at < len(env.From)-1 {
		domain = env.From[at+1:]
	}
	missing, msgID := s.missingHeaders(parseHeaderBlock(head), domain)
	full := appendHeaders(appendHeaders(nil, trace), missing)
	full = append(full, raw...)

	res := DeliverResult{MessageID: msgID}
	if err := s.fanOutLocked(&res, env.From, env.To, full); err != nil {
		return res, err
	}
	return res, nil
}

// missingHeaders returns the Date and Message-ID fields hs lacks, which Exchange Online and
// Gmail add to mail that arrives without them, and the message's Message-ID either way.
func (s *Store) missingHeaders(hs []Header, domain string) (extra []Header, msgID string) {
	if headerValue(hs, "Date") == "" {
		extra = append(extra, Header{"Date", s.now().Format(time.RFC1123Z)})
	}
	msgID = headerValue(hs, "Message-ID")
	if msgID == "" {
		msgID = fmt.Sprintf("<%x@%s>", s.ids.bytes(12), domain)
		extra = append(extra, Header{"Message-ID", msgID})
	}
	return extra, msgID
}
