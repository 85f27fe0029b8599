package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"google.golang.org/api/gmail/v1"
	"google.golang.org/api/googleapi"

	"github.com/mailscript/mailscript/providers"
)

var callHistory = call{"read the mailbox history", ScopeModify}

// errHistoryExpired is Gmail's 404 for a start history id it no longer keeps (about a week).
var errHistoryExpired = errors.New("the history id has expired")

// WaitFor resolves with the first message matching c that arrives after the call (or after
// c.Since). It takes the history id from getProfile and searches once for what arrived before
// that id was known, then makes one history.list per poll (messageAdded in the folder's label); summaries are fetched
// only for new ids. A history id too old for Gmail (404) falls back to a q search with after:.
func (m *mailbox) WaitFor(ctx context.Context, c providers.Criteria, o providers.WaitOptions) (*providers.Message, error) {
	o = o.WithDefaults()
	timeout, interval := o.Timeout, o.Interval
	start := time.Now()
	deadline := start.Add(timeout)
	label, err := m.labelID(ctx, c.Folder)
	if err != nil {
		return nil, err
	}
	w := &waiter{m: m, c: c, label: label, since: c.Since}
	if w.since.IsZero() {
		w.since = start
	}
	if w.historyID, err = m.historyID(ctx); err != nil {
		return nil, err
	}
	// One search covers what arrived before the starting history id was known: since c.Since,
	// or since the call itself (mail can land between the call and getProfile's answer; Gmail
	// stamps internalDate to the millisecond, so "after the call" is checked exactly).
	if c.Since.IsZero() {
		w.after = start
	}
	msg, err := providers.ObservePoll(ctx, &w.looked, func() (*providers.Message, error) { return w.search(ctx) })
	w.after = time.Time{}
	if msg != nil || err != nil {
		return msg, err
	}
	for next := start.Add(interval); ; next = next.Add(interval) {
		if next.After(deadline) {
			next = deadline
		}
		if err := sleep(ctx, time.Until(next)); err != nil {
			return nil, err
		}
		msg, err := providers.ObservePoll(ctx, &w.looked, func() (*providers.Message, error) { return w.poll(ctx) })
		if msg != nil || err != nil {
			return msg, err
		}
		if !time.Now().Before(deadline) {
			return nil, w.timeout(timeout)
		}
	}
}

type waiter struct {
	m         *mailbox
	c         providers.Criteria
	label     string // "" for the archive
	since     time.Time
	after     time.Time       // while not zero, only mail received at or after it counts
	early     map[string]bool // ids seen that matched but arrived before the call
	historyID uint64
	fallback  bool // the history id expired: search with q instead
	checked   map[string]bool
	closest   []providers.Summary
	looked    int // arrivals considered so far, for the polls' reports
}

func (m *mailbox) historyID(ctx context.Context) (uint64, error) {
	var p *gmail.Profile
	err := m.retry(ctx, callProfile, func(ctx context.Context) error {
		var err error
		p, err = m.svc.Users.GetProfile(me).Context(ctx).Do()
		return err
	}, nil)
	if err != nil {
		return 0, err
	}
	return p.HistoryId, nil
}

func (w *waiter) poll(ctx context.Context) (*providers.Message, error) {
	if w.fallback {
		return w.search(ctx)
	}
	ids, err := w.added(ctx)
	if errors.Is(err, errHistoryExpired) {
		w.fallback = true
		return w.search(ctx)
	}
	if err != nil {
		return nil, err
	}
	return w.first(ctx, ids)
}

// added returns the ids of messages added since the last poll, and advances the history id.
func (w *waiter) added(ctx context.Context) ([]string, error) {
	var ids []string
	token := ""
	for {
		call := w.m.svc.Users.History.List(me).StartHistoryId(w.historyID).HistoryTypes("messageAdded").MaxResults(500)
		if w.label != "" {
			call = call.LabelId(w.label)
		}
		var resp *gmail.ListHistoryResponse
		err := w.m.retry(ctx, callHistory, func(ctx context.Context) error {
			var err error
			resp, err = call.PageToken(token).Context(ctx).Do()
			var ge *googleapi.Error
			if errors.As(err, &ge) && ge.Code == http.StatusNotFound {
				return errHistoryExpired
			}
			return err
		}, nil)
		if err != nil {
			return nil, err
		}
		for _, h := range resp.History {
			for _, a := range h.MessagesAdded {
				if a.Message != nil && !slices.Contains(ids, a.Message.Id) {
					ids = append(ids, a.Message.Id)
				}
			}
		}
		if token = resp.NextPageToken; token == "" {
			w.historyID = max(w.historyID, resp.HistoryId)
			return ids, nil
		}
	}
}

// search is the q-based look used for c.Since and after the history id expired.
func (w *waiter) search(ctx context.Context) (*providers.Message, error) {
	c := w.c
	c.Since, c.Limit = w.since, 500
	found, err := w.m.List(ctx, c)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(found))
	for i, s := range found {
		ids[len(found)-1-i] = s.ID // oldest first: the first to arrive wins
	}
	return w.first(ctx, ids)
}

// first returns the earliest of ids that matches, recording the others for the timeout error.
func (w *waiter) first(ctx context.Context, ids []string) (*providers.Message, error) {
	if w.checked == nil {
		w.checked = map[string]bool{}
	}
	var fresh []string
	for _, id := range ids {
		if !w.checked[id] {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	summaries, err := w.m.summaries(ctx, fresh, true)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(summaries, func(a, b providers.Summary) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	for _, s := range summaries {
		w.checked[s.ID] = true
		w.looked++
		if !w.after.IsZero() && s.ReceivedAt.Before(w.after) && w.c.Match(s) {
			// Gmail's after: counts whole seconds, so mail sent just before the call comes back.
			if w.early == nil {
				w.early = map[string]bool{}
			}
			w.early[s.ID] = true
		}
		if w.matches(s) {
			msg, err := w.m.Read(ctx, s.ID, providers.ReadOptions{})
			if providers.CodeOf(err) == providers.NotFound {
				continue
			}
			if err != nil {
				return nil, err
			}
			if w.c.MatchMessage(msg) {
				return msg, nil
			}
		}
		w.closest = append(w.closest, s)
	}
	return nil, nil
}

func (w *waiter) matches(s providers.Summary) bool {
	if w.label == "" && s.Folder != "archive" {
		return false
	}
	if !w.after.IsZero() && s.ReceivedAt.Before(w.after) {
		return false
	}
	return w.c.Match(s)
}

// maxClosest is how many near misses the timeout error lists.
const maxClosest = 3

func (w *waiter) timeout(d time.Duration) error {
	want := describe(w.c)
	folder := w.c.Folder
	if folder == "" {
		folder = "inbox"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no message matching %s arrived in %s of %s within %s", want, folder, w.m.cfg.user, d)
	if len(w.closest) == 0 {
		b.WriteString("; no other message arrived either")
		if w.c.Since.IsZero() {
			b.WriteString(" (" + providers.EarlierMailHint + ")")
		}
	} else {
		slices.SortStableFunc(w.closest, func(a, b providers.Summary) int { return w.score(b) - w.score(a) })
		b.WriteString("; closest seen:")
		for _, s := range w.closest[:min(len(w.closest), maxClosest)] {
			fmt.Fprintf(&b, " %q from %s at %s (%s);", s.Subject, s.From.Address, s.ReceivedAt.Format(time.RFC3339), w.misses(s))
		}
	}
	return &providers.Error{Code: providers.Timeout, Provider: Name, Message: strings.TrimSuffix(b.String(), ";")}
}

// score counts the criteria a summary meets, to rank near misses.
func (w *waiter) score(s providers.Summary) int {
	n := 0
	for _, ok := range w.checks(s) {
		if ok {
			n++
		}
	}
	return n
}

func (w *waiter) misses(s providers.Summary) string {
	var out []string
	for name, ok := range w.checks(s) {
		if !ok {
			out = append(out, name+" differs")
		}
	}
	slices.Sort(out)
	if w.early[s.ID] {
		out = append([]string{"it arrived before waitFor was called; take a Date before the action and pass it as since"}, out...)
	}
	if len(out) == 0 {
		return "its body or folder differs"
	}
	return strings.Join(out, ", ")
}

// checks tests each summary criterion on its own.
func (w *waiter) checks(s providers.Summary) map[string]bool {
	c := w.c
	return map[string]bool{
		"from":           providers.Criteria{From: c.From}.Match(s),
		"to":             providers.Criteria{To: c.To}.Match(s),
		"subject":        providers.Criteria{Subject: c.Subject}.Match(s),
		"unread":         providers.Criteria{Unread: c.Unread}.Match(s),
		"hasAttachments": providers.Criteria{HasAttachments: c.HasAttachments}.Match(s),
		"date":           providers.Criteria{Since: w.since, Before: c.Before}.Match(s),
	}
}

// describe renders criteria for a person: {subject matches /reset/i, from contains "bot"}.
func describe(c providers.Criteria) string {
	var parts []string
	for _, f := range []struct {
		name string
		m    providers.Matcher
	}{{"from", c.From}, {"to", c.To}, {"subject", c.Subject}, {"body", c.Body}} {
		switch {
		case f.m.Regexp != nil:
			parts = append(parts, fmt.Sprintf("%s matches /%s/", f.name, f.m.Regexp))
		case f.m.Contains != "":
			parts = append(parts, fmt.Sprintf("%s contains %q", f.name, f.m.Contains))
		}
	}
	if c.Unread != nil {
		parts = append(parts, fmt.Sprintf("unread %v", *c.Unread))
	}
	if c.HasAttachments != nil {
		parts = append(parts, fmt.Sprintf("hasAttachments %v", *c.HasAttachments))
	}
	if c.Query != "" {
		parts = append(parts, fmt.Sprintf("query %q", c.Query))
	}
	if len(parts) == 0 {
		return "{any message}"
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
