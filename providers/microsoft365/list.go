package microsoft365

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/mailscript/mailscript/providers"
)

// maxTop is the largest page Graph serves for messages.
const maxTop = 1000

// summarySelect is all a Summary needs: Graph sends nothing else.
var summarySelect = []string{"id", "subject", "from", "toRecipients", "ccRecipients", "receivedDateTime", "isRead", "hasAttachments", "bodyPreview", "parentFolderId"}

// query is the server-side part of a list: what Graph narrows by before the exact match.
type query struct {
	filter  string
	search  string
	orderby bool
	exact   bool // every criterion is enforced by the server: no page needs over-fetching
}

// buildQuery maps criteria onto Graph's rules: $filter on receivedDateTime, isRead,
// hasAttachments, the sender address and a recipient address; $orderby receivedDateTime only with receivedDateTime
// leading the filter (else Graph answers InefficientFilter); $search (which takes neither
// $filter nor $orderby) only when subject/body words are the sole narrowing.
func buildQuery(c providers.Criteria) query {
	if c.Query != "" {
		return query{search: quoteSearch(c.Query)}
	}
	var terms []string
	if c.Unread != nil {
		terms = append(terms, fmt.Sprintf("isRead eq %t", !*c.Unread))
	}
	if c.HasAttachments != nil {
		terms = append(terms, fmt.Sprintf("hasAttachments eq %t", *c.HasAttachments))
	}
	fromExact := false
	if a, ok := c.From.Address(); ok {
		terms = append(terms, "from/emailAddress/address eq '"+strings.ReplaceAll(a, "'", "''")+"'")
		fromExact = true
	}
	if a, ok := c.To.Address(); ok {
		// Graph's eq is case-insensitive, as the exact match here; a plus-address is one
		// recipient's whole address, so mail to the base address or another tag is left out.
		q := strings.ReplaceAll(a, "'", "''")
		terms = append(terms, "(toRecipients/any(r:r/emailAddress/address eq '"+q+"') or ccRecipients/any(r:r/emailAddress/address eq '"+q+"'))")
	}
	exact := (c.From.IsZero() || fromExact) && c.To.IsZero() && c.Subject.IsZero() && c.Body.IsZero()
	dated := !c.Since.IsZero() || !c.Before.IsZero()
	if len(terms) == 0 && !dated {
		if s := searchTerms(c); s != "" {
			return query{search: s}
		}
		return query{orderby: true, exact: exact}
	}
	since := c.Since
	if since.IsZero() {
		since = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	lead := []string{"receivedDateTime ge " + since.UTC().Format(time.RFC3339)}
	if !c.Before.IsZero() {
		lead = append(lead, "receivedDateTime lt "+c.Before.UTC().Format(time.RFC3339))
	}
	return query{filter: strings.Join(append(lead, terms...), " and "), orderby: true, exact: exact}
}

// searchTerms returns a KQL $search for plain subject/body substrings of three or more
// characters (shorter ones narrow nothing), one prop:word term per word so that no inner
// quoting is needed, or "".
func searchTerms(c providers.Criteria) string {
	var kql []string
	for _, t := range []struct {
		prop string
		m    providers.Matcher
	}{{"subject", c.Subject}, {"body", c.Body}} {
		if t.m.Regexp != nil || utf8.RuneCountInString(strings.TrimSpace(t.m.Contains)) < 3 || strings.ContainsAny(t.m.Contains, `"\():*`) {
			continue
		}
		for _, w := range strings.Fields(t.m.Contains) {
			kql = append(kql, t.prop+":"+w)
		}
	}
	if len(kql) == 0 {
		return ""
	}
	return quoteSearch(strings.Join(kql, " ")) // KQL joins terms with an implicit AND
}

// quoteSearch wraps a $search value in the double quotes Graph requires, escaping inner ones.
func quoteSearch(s string) string {
	if len(s) >= 2 && strings.HasPrefix(s, `"`) && strings.HasSuffix(s, `"`) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// List returns the newest messages matching c, narrowed server-side, matched exactly here.
func (m *mailbox) List(ctx context.Context, c providers.Criteria) ([]providers.Summary, error) {
	limit := c.Limit
	if limit <= 0 {
		limit = providers.DefaultLimit
	}
	ref, shown, err := m.resolveFolder(ctx, c.Folder)
	if err != nil {
		return nil, err
	}
	q := buildQuery(c)
	top := int32(maxTop)
	if q.exact {
		top = int32(min(limit, maxTop))
	}
	params := &users.ItemMailFoldersItemMessagesRequestBuilderGetQueryParameters{Select: summarySelect, Top: &top}
	if q.filter != "" {
		params.Filter = &q.filter
	}
	if q.search != "" {
		params.Search = &q.search
	}
	if q.orderby {
		params.Orderby = []string{"receivedDateTime desc"}
	}
	builder := m.mailFolders.ByMailFolderId(ref).Messages()
	info, err := builder.ToGetRequestInformation(ctx, &users.ItemMailFoldersItemMessagesRequestBuilderGetRequestConfiguration{QueryParameters: params})
	what := op{"list " + shown, "Mail.Read"}
	var out []providers.Summary
	for {
		var page messagePage
		if err == nil {
			err = m.sendJSON(ctx, what, info, &page)
		}
		if err != nil {
			return nil, m.mapError(what, err)
		}
		var candidates []providers.Summary
		for i := range page.Value {
			m.noteFolder(page.Value[i].ParentFolderID, shown)
			if s := page.Value[i].summary(shown); c.Match(s) {
				candidates = append(candidates, s)
			}
		}
		if !c.Body.IsZero() {
			if candidates, err = m.matchBodies(ctx, c, candidates); err != nil {
				return nil, err
			}
		}
		out = append(out, candidates...)
		if len(out) >= limit || page.NextLink == "" {
			break
		}
		if !strings.HasPrefix(page.NextLink, m.cfg.graphRoot+"/") {
			return nil, providers.Errorf(providers.Unavailable, Name, "%s: Microsoft Graph returned a paging link outside %s; refusing to follow it", what.what, m.cfg.graphRoot)
		}
		info, err = builder.WithUrl(page.NextLink).ToGetRequestInformation(ctx, nil)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// matchBodies keeps the summaries whose full message matches the body criterion, reading
// them concurrently (the reads share $batch requests).
func (m *mailbox) matchBodies(ctx context.Context, c providers.Criteria, list []providers.Summary) ([]providers.Summary, error) {
	keep := make([]bool, len(list))
	errs := make([]error, len(list))
	var wg sync.WaitGroup
	for i, s := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg, err := m.Read(ctx, s.ID, providers.ReadOptions{})
			keep[i], errs[i] = err == nil && c.MatchMessage(msg), err
		}()
	}
	wg.Wait()
	var out []providers.Summary
	for i, s := range list {
		if errs[i] != nil && providers.CodeOf(errs[i]) != providers.NotFound {
			return nil, errs[i]
		}
		if keep[i] {
			out = append(out, s)
		}
	}
	return out, nil
}
