package providers

import (
	"slices"
	"strings"
	"time"
)

// Match reports whether s satisfies every criterion that a summary can answer. Body is not
// checked here (a summary has no body): see MatchMessage.
func (c Criteria) Match(s Summary) bool {
	if !c.From.MatchAddresses([]Address{s.From}) ||
		!c.matchTo(s) ||
		!c.Subject.Match(s.Subject) {
		return false
	}
	if c.Unread != nil && *c.Unread == s.IsRead {
		return false
	}
	if c.HasAttachments != nil && *c.HasAttachments != s.HasAttachments {
		return false
	}
	// Graph stamps receivedDateTime to the second: a message received in the same second as
	// `since` counts as received after it.
	if !c.Since.IsZero() && s.ReceivedAt.Before(c.Since.Truncate(time.Second)) {
		return false
	}
	if !c.Before.IsZero() && !s.ReceivedAt.Before(c.Before) {
		return false
	}
	return true
}

// MatchMessage is Match plus the body criterion, checked against the text and HTML parts.
func (c Criteria) MatchMessage(m *Message) bool {
	if !c.Match(m.Summary) {
		return false
	}
	if c.Body.IsZero() {
		return true
	}
	return c.Body.Match(m.Text) || c.Body.Match(m.HTML)
}

// matchTo matches a whole address exactly against every recipient (so a plus-address finds
// only its own mail, never the base address's or another tag's), anything else as a substring
// or regexp of the To line.
func (c Criteria) matchTo(s Summary) bool {
	addr, ok := c.To.Address()
	if !ok {
		return c.To.MatchAddresses(s.To)
	}
	rcpts := s.Recipients
	if rcpts == nil {
		rcpts = RecipientsOf(s.To, nil)
	}
	for _, r := range rcpts {
		if strings.EqualFold(strings.TrimSpace(r), addr) {
			return true
		}
	}
	return false
}

// RecipientsOf builds Summary.Recipients from the To and Cc lists and the Delivered-To
// header values, if any.
func RecipientsOf(to, cc []Address, deliveredTo ...string) []string {
	out := make([]string, 0, len(to)+len(cc)+len(deliveredTo))
	for _, a := range slices.Concat(to, cc) {
		out = append(out, a.Address)
	}
	for _, d := range deliveredTo {
		if d = strings.Trim(strings.TrimSpace(d), "<>"); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// MatchAddresses reports whether an address list satisfies the matcher. A substring may be
// anywhere in the list as written ("Ada <ada@example.com>, ..."); a regexp matches when it
// matches one entry's address, its name, or the entry as written, or the whole list, so that
// anchored patterns work as a script means them: /^no-reply@/ and /@example\.com$/ test the
// address, /^Ada/ the name.
func (m Matcher) MatchAddresses(list []Address) bool {
	if m.Regexp == nil {
		return m.Match(joinAddresses(list))
	}
	for _, a := range list {
		if m.Regexp.MatchString(a.Address) || a.Name != "" && m.Regexp.MatchString(a.Name) || m.Regexp.MatchString(a.Name+" <"+a.Address+">") {
			return true
		}
	}
	return m.Regexp.MatchString(joinAddresses(list))
}

func joinAddresses(list []Address) string {
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = a.Name + " <" + a.Address + ">"
	}
	return strings.Join(parts, ", ")
}
