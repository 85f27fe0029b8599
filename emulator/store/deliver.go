package store

import (
	"bytes"
	"fmt"
	"net/mail"
	"strings"
)

// DeliverResult says where a sent message went.
type DeliverResult struct {
	MessageID string   // the Message-ID header, angle brackets included
	Sent      *Message // the Sent Items copy, nil unless saveToSent
	Delivered []string // addresses of emulated mailboxes that received it
	Sunk      []string // addresses with no emulated mailbox
}

// Deliver sends raw from the mailbox fromRef: Date, Message-ID and From are added when absent,
// every To/Cc/Bcc recipient that is an emulated mailbox (either face), or a plus-address of
// one (see Resolve), gets a copy in its inbox without the Bcc header (Gmail's with
// Delivered-To), the other addresses go to the sink, and with saveToSent the sender keeps a
// read copy (Bcc included) in Sent Items. A message without recipients is refused.
func (s *Store) Deliver(raw []byte, fromRef string, saveToSent bool) (DeliverResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, err := s.mailboxLocked(fromRef)
	if err != nil {
		return DeliverResult{}, err
	}
	head, body := splitMessage(raw)
	hs := parseHeaderBlock(head)
	extra, msgID := s.missingHeaders(hs, from.Domain)
	if headerValue(hs, "From") == "" {
		extra = append(extra, Header{"From", (&mail.Address{Name: from.DisplayName, Address: from.Address}).String()})
	}
	full := append(appendHeaders(nil, extra), raw...)

	var rcpts []string
	seen := map[string]bool{}
	for _, name := range []string{"To", "Cc", "Bcc"} {
		for _, a := range ParseAddressList(headerValue(hs, name)) {
			if _, err := mail.ParseAddress(a.Address); err != nil {
				// Kept by the reader's lenient parse, but mail cannot go there: Gmail refuses
				// such a send with these words.
				return DeliverResult{}, fmt.Errorf("%w: Invalid %s header", ErrInvalid, name)
			}
			key := strings.ToLower(a.Address)
			if !seen[key] {
				seen[key] = true
				rcpts = append(rcpts, a.Address)
			}
		}
	}
	if len(rcpts) == 0 {
		return DeliverResult{}, fmt.Errorf("%w: the message has no recipients (To, Cc or Bcc)", ErrInvalid)
	}
	res := DeliverResult{MessageID: msgID}
	if saveToSent {
		if res.Sent, err = s.insertLocked(from, full, InsertOptions{Folder: SentItems, IsRead: true}); err != nil {
			return DeliverResult{}, err
		}
	}
	public := append(appendHeaders(nil, extra), withoutHeader(head, "Bcc")...)
	public = append(append(public, "\r\n"...), body...)
	if len(head) == 0 {
		public = full
	}
	if err := s.fanOutLocked(&res, from.Address, rcpts, public); err != nil {
		return res, err
	}
	return res, nil
}

// fanOutLocked gives each hosted mailbox among rcpts one copy of raw in its inbox (a mailbox
// named twice, by its address and a plus-address of it, gets one copy, as the services
// deliver) and puts the message in the sink for the addresses the store does not host.
func (s *Store) fanOutLocked(res *DeliverResult, from string, rcpts []string, raw []byte) error {
	got := map[*mailbox]bool{}
	for _, addr := range rcpts {
		mb := s.resolveLocked(addr)
		if mb == nil {
			res.Sunk = append(res.Sunk, addr)
			continue
		}
		if got[mb] {
			continue
		}
		got[mb] = true
		if _, err := s.insertLocked(mb, deliveredTo(mb, addr, raw), InsertOptions{}); err != nil {
			return err
		}
		res.Delivered = append(res.Delivered, mb.Address)
	}
	if len(res.Sunk) > 0 {
		s.sinkLocked(from, res.Sunk, raw, res.MessageID)
	}
	return nil
}

// deliveredTo prepends the Delivered-To header Gmail stamps on every message it delivers,
// naming the recipient address as written (a plus-address stays one); Exchange adds none.
func deliveredTo(mb *mailbox, rcpt string, raw []byte) []byte {
	if mb.Kind != Google {
		return raw
	}
	return append([]byte("Delivered-To: "+rcpt+"\r\n"), raw...)
}

func appendHeaders(dst []byte, hs []Header) []byte {
	for _, h := range hs {
		dst = append(dst, h.Name+": "+h.Value+"\r\n"...)
	}
	return dst
}

// withoutHeader drops every occurrence of a header field, continuation lines included, and
// returns the header block with CRLF line ends.
func withoutHeader(head []byte, name string) []byte {
	var out bytes.Buffer
	skipping := false
	for _, line := range strings.Split(strings.TrimRight(string(head), "\r\n"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line != "" && (line[0] == ' ' || line[0] == '\t') {
			if !skipping {
				out.WriteString(line + "\r\n")
			}
			continue
		}
		n, _, _ := strings.Cut(line, ":")
		skipping = equalFoldASCII(strings.TrimSpace(n), name)
		if !skipping {
			out.WriteString(line + "\r\n")
		}
	}
	return out.Bytes()
}
