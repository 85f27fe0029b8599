package providers

import (
	"strings"
	"time"
)

// Match reports whether s satisfies every criterion that a summary can answer. Body is not
// checked here (a summary has no body): see MatchMessage.
func (c Criteria) Match(s Summary) bool {
	if !c.From.Match(s.From.Name+" <"+s.From.Address+">") ||
		!c.To.Match(joinAddresses(s.To)) ||
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

func joinAddresses(list []Address) string {
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = a.Name + " <" + a.Address + ">"
	}
	return strings.Join(parts, ", ")
}
