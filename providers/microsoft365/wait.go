package microsoft365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// clockSkew is how far back the first delta request reaches to learn which messages were
// already there (server and local clocks may disagree by that much).
const clockSkew = 10 * time.Minute

type deltaItem struct {
	graphMessage
	Removed json.RawMessage `json:"@removed"`
}

type deltaPage struct {
	Value     []deltaItem `json:"value"`
	NextLink  string      `json:"@odata.nextLink"`
	DeltaLink string      `json:"@odata.deltaLink"`
}

// waiter is one waitFor in progress: what it has seen, to tell new arrivals from old mail
// and to say what came closest when it times out.
type waiter struct {
	m      *mailbox
	c      providers.Criteria
	shown  string
	before map[string]bool // ids present when the wait began
	seen   []providers.Summary
	looked int // arrivals considered so far, for the polls' reports
}

// WaitFor resolves with the first message matching c that arrives after the call (or at or
// after c.Since). It follows the folder's delta feed, one request per poll; where delta is
// refused it polls a receivedDateTime-filtered list instead.
func (m *mailbox) WaitFor(ctx context.Context, c providers.Criteria, o providers.WaitOptions) (*providers.Message, error) {
	o = o.WithDefaults()
	start := time.Now()
	deadline, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	ref, shown, err := m.resolveFolder(deadline, c.Folder)
	if err != nil {
		return nil, m.waitError(ctx, err, c, o)
	}
	w := &waiter{m: m, c: c, shown: shown, before: map[string]bool{}}
	from := start.Add(-clockSkew)
	if !c.Since.IsZero() && c.Since.Before(from) {
		from = c.Since
	}
	header := http.Header{"Prefer": {"odata.maxpagesize=1000"}}
	link := m.userRel + "/mailFolders/" + ref + "/messages/delta?$select=" + strings.Join(summarySelect, ",") +
		"&$filter=" + url.QueryEscape("receivedDateTime ge "+from.UTC().Format(time.RFC3339))
	look := func(initial bool) (*providers.Message, error) {
		for {
			var page deltaPage
			if err := m.getJSON(deadline, op{"waitFor (delta of " + shown + ")", "Mail.Read"}, link, header, &page); err != nil {
				return nil, err
			}
			if msg, err := w.consider(deadline, page.Value, initial); msg != nil || err != nil {
				return msg, err
			}
			if page.NextLink == "" {
				link = page.DeltaLink
				return nil, nil
			}
			link = page.NextLink
		}
	}
	poll := func(initial bool) (*providers.Message, error) {
		return providers.ObservePoll(ctx, &w.looked, func() (*providers.Message, error) { return look(initial) })
	}
	msg, err := poll(true)
	if providers.CodeOf(err) == providers.InvalidArgument {
		msg, err = w.pollList(deadline, ref, from, o.Interval)
	} else {
		for msg == nil && err == nil && link != "" {
			if err = providers.Sleep(deadline, o.Interval); err == nil {
				msg, err = poll(false)
			}
		}
	}
	if err != nil {
		return nil, w.m.waitError(ctx, err, c, o, w.seen...)
	}
	return msg, nil
}

// consider checks delta items; at the initial sync only mail received at or after c.Since
// counts, later every message not there before does.
func (w *waiter) consider(ctx context.Context, items []deltaItem, initial bool) (*providers.Message, error) {
	for _, it := range items {
		if it.Removed != nil || it.ID == "" {
			continue
		}
		s := w.summary(it.graphMessage)
		old := initial || w.before[it.ID]
		w.before[it.ID] = true // considered once, whatever later updates bring
		if old && (w.c.Since.IsZero() || s.ReceivedAt.Before(w.c.Since.Truncate(time.Second))) {
			continue
		}
		w.looked++
		if msg, err := w.match(ctx, s); msg != nil || err != nil {
			return msg, err
		}
	}
	return nil, nil
}

// pollList is the fallback: list what arrived since from, one request per poll.
func (w *waiter) pollList(ctx context.Context, ref string, from time.Time, interval time.Duration) (*providers.Message, error) {
	target := w.m.userRel + "/mailFolders/" + ref + "/messages?$top=100&$orderby=receivedDateTime+desc&$select=" + strings.Join(summarySelect, ",") +
		"&$filter=" + url.QueryEscape("receivedDateTime ge "+from.UTC().Format(time.RFC3339))
	look := func(initial bool) (*providers.Message, error) {
		var page deltaPage
		if err := w.m.getJSON(ctx, op{"waitFor (list " + w.shown + ")", "Mail.Read"}, target, nil, &page); err != nil {
			return nil, err
		}
		return w.consider(ctx, page.Value, initial)
	}
	for initial := true; ; initial = false {
		if msg, err := providers.ObservePoll(ctx, &w.looked, func() (*providers.Message, error) { return look(initial) }); msg != nil || err != nil {
			return msg, err
		}
		if err := providers.Sleep(ctx, interval); err != nil {
			return nil, err
		}
	}
}

func (w *waiter) summary(g graphMessage) providers.Summary {
	w.m.noteFolder(g.ParentFolderID, w.shown)
	return g.summary(w.shown)
}

// match reads s when its summary matches (and the body criterion needs the full message).
func (w *waiter) match(ctx context.Context, s providers.Summary) (*providers.Message, error) {
	c := w.c
	c.Since = time.Time{} // arrival was judged by the caller
	if !c.Match(s) {
		w.seen = append(w.seen, s)
		return nil, nil
	}
	msg, err := w.m.Read(ctx, s.ID, providers.ReadOptions{})
	if providers.CodeOf(err) == providers.NotFound {
		return nil, nil // gone again before we could read it
	}
	if err != nil || c.MatchMessage(msg) {
		return msg, err
	}
	w.seen = append(w.seen, s)
	return nil, nil
}

// waitError turns the deadline into a TIMEOUT error that lists the closest messages seen.
func (m *mailbox) waitError(ctx context.Context, err error, c providers.Criteria, o providers.WaitOptions, seen ...providers.Summary) error {
	if ctx.Err() != nil || !isDeadline(err) {
		return err
	}
	sort.SliceStable(seen, func(i, j int) bool { return closeness(c, seen[i]) > closeness(c, seen[j]) })
	var b strings.Builder
	fmt.Fprintf(&b, "waitFor: no message matching %s arrived in %s within %s", describe(c), m.cfg.mailbox, o.Timeout)
	if len(seen) == 0 {
		b.WriteString("; no new message arrived at all")
		if c.Since.IsZero() {
			b.WriteString(" (" + providers.EarlierMailHint + ")")
		}
	} else {
		fmt.Fprintf(&b, "; %d other message(s) arrived, closest:", len(seen))
		for _, s := range seen[:min(3, len(seen))] {
			fmt.Fprintf(&b, " [subject %q from %s at %s]", s.Subject, s.From.Address, s.ReceivedAt.Format(time.RFC3339))
		}
	}
	return &providers.Error{Code: providers.Timeout, Provider: Name, Message: b.String()}
}

func isDeadline(err error) bool {
	return errors.Is(err, context.DeadlineExceeded)
}

// closeness counts the criteria a summary satisfies, to rank near misses.
func closeness(c providers.Criteria, s providers.Summary) int {
	n := 0
	for _, ok := range []bool{c.Subject.Match(s.Subject), c.From.MatchAddresses([]providers.Address{s.From}), c.To.MatchAddresses(s.To)} {
		if ok {
			n++
		}
	}
	return n
}

func describe(c providers.Criteria) string {
	var parts []string
	for _, f := range []struct {
		name string
		m    providers.Matcher
	}{{"subject", c.Subject}, {"from", c.From}, {"to", c.To}, {"body", c.Body}} {
		switch {
		case f.m.Regexp != nil:
			parts = append(parts, f.name+" /"+f.m.Regexp.String()+"/")
		case f.m.Contains != "":
			parts = append(parts, fmt.Sprintf("%s %q", f.name, f.m.Contains))
		}
	}
	if len(parts) == 0 {
		return "any criteria"
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
