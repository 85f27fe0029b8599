package graph

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mailscript/mailscript/emulator/store"
)

// listQuery is a parsed OData collection request on messages.
type listQuery struct {
	top, skip int
	count     bool
	filter    *filter
	search    func(*store.Message) bool
	orderBy   []orderKey
	render    renderOpts
}

type orderKey struct {
	prop string
	desc bool
	get  func(env) any
}

func queryParam(q url.Values, name string) (string, bool) {
	for _, k := range []string{"$" + name, name} {
		if v, ok := q[k]; ok {
			return v[0], true
		}
	}
	return "", false
}

// parseListQuery applies the service's rules: $top 1..1000 (default 10), no $search with
// $filter or $orderby, $orderby properties leading the $filter.
func parseListQuery(r *http.Request, defaultTop int) (*listQuery, *apiError) {
	q := r.URL.Query()
	lq := &listQuery{top: defaultTop}
	if v, ok := queryParam(q, "top"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errBadRequest("Invalid value '" + v + "' for $top query option found. The $top query option requires a non-negative integer value.")
		}
		if n > 1000 {
			return nil, newError(400, "ErrorInvalidProperty", "The limit of '1000' for Top query has been exceeded. The value from the incoming request is '"+v+"'.")
		}
		lq.top = max(n, 1)
	}
	if v, ok := queryParam(q, "skip"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errBadRequest("Invalid value '" + v + "' for $skip query option found. The $skip query option requires a non-negative integer value.")
		}
		lq.skip = n
	}
	if v, ok := queryParam(q, "count"); ok {
		lq.count = strings.EqualFold(v, "true")
	}
	var e *apiError
	if lq.render, e = parseRender(r); e != nil {
		return nil, e
	}
	search, hasSearch := queryParam(q, "search")
	filterSrc, hasFilter := queryParam(q, "filter")
	orderSrc, hasOrder := queryParam(q, "orderby")
	if hasSearch && hasFilter {
		return nil, newError(400, "ErrorInvalidUrlQuery", "The query parameter '$filter' is not supported with '$search'.")
	}
	if hasSearch && hasOrder {
		return nil, newError(400, "ErrorInvalidUrlQuery", "The query parameter '$orderBy' is not supported with '$search'.")
	}
	if hasFilter {
		if lq.filter, e = parseFilter(filterSrc); e != nil {
			return nil, e
		}
	}
	if hasSearch {
		lq.search = parseSearch(search)
		lq.orderBy = []orderKey{{prop: "sentDateTime", desc: true, get: messageGetter("sentDateTime")}}
	}
	if hasOrder {
		if lq.orderBy, e = parseOrderBy(orderSrc); e != nil {
			return nil, e
		}
		if lq.filter != nil && !orderLeadsFilter(lq.orderBy, lq.filter.props) {
			return nil, newError(400, "InefficientFilter", "The restriction or sort order is too complex for this operation.")
		}
	}
	if lq.orderBy == nil {
		lq.orderBy = []orderKey{{prop: "receivedDateTime", desc: true, get: messageGetter("receivedDateTime")}}
	}
	return lq, nil
}

func parseRender(r *http.Request) (renderOpts, *apiError) {
	var o renderOpts
	if v, ok := queryParam(r.URL.Query(), "select"); ok {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if !knownMessageProp(p) {
				return o, newError(400, "RequestBroker--ParseUri", "Could not find a property named '"+p+"' on type 'microsoft.graph.message'.")
			}
			if p != "id" {
				o.selected = append(o.selected, canonicalProp(p))
			}
		}
	}
	o.bodyType = preference(r, "outlook.body-content-type")
	return o, nil
}

func canonicalProp(p string) string {
	for _, q := range append(slices.Clone(messageProps), selectOnly...) {
		if strings.EqualFold(p, q) {
			return q
		}
	}
	return p
}

// preference reads one Prefer header value (e.g. outlook.body-content-type="text").
func preference(r *http.Request, name string) string {
	for _, h := range r.Header.Values("Prefer") {
		for _, part := range strings.Split(h, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			if strings.EqualFold(k, name) {
				return strings.ToLower(strings.Trim(v, `"`))
			}
		}
	}
	return ""
}

func parseOrderBy(src string) ([]orderKey, *apiError) {
	var keys []orderKey
	for _, part := range strings.Split(src, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 || len(fields) > 2 {
			return nil, errBadRequest("Invalid $orderby clause '" + src + "'.")
		}
		k := orderKey{prop: fields[0], get: messageGetter(fields[0])}
		if k.get == nil {
			return nil, errUnknownProperty(fields[0])
		}
		if len(fields) == 2 {
			switch strings.ToLower(fields[1]) {
			case "desc":
				k.desc = true
			case "asc":
			default:
				return nil, errBadRequest("Invalid $orderby clause '" + src + "'.")
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// orderLeadsFilter is Exchange's rule: the $orderby properties appear in the $filter, first
// and in the same order.
func orderLeadsFilter(order []orderKey, filterProps []string) bool {
	if len(order) > len(filterProps) {
		return false
	}
	for i, k := range order {
		if !strings.EqualFold(k.prop, filterProps[i]) {
			return false
		}
	}
	return true
}

func sortMessages(ms []*store.Message, keys []orderKey, draftsID string) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := env{m: ms[i], draftsID: draftsID}, env{m: ms[j], draftsID: draftsID}
		for _, k := range keys {
			va, vb := k.get(a), k.get(b)
			if compare(va, vb, "eq") {
				continue
			}
			less := compare(va, vb, "lt")
			if _, isBool := va.(bool); isBool {
				less = va == false
			}
			if k.desc {
				return !less
			}
			return less
		}
		return ms[i].ID < ms[j].ID
	})
}

// parseSearch implements the KQL subset mail users type: words and "phrases" (matched against
// from, subject and body), and from:, to:, cc:, subject:, body:, attachment:,
// hasattachment(s):. Terms combine with AND.
func parseSearch(src string) func(*store.Message) bool {
	src = strings.TrimSpace(src)
	if len(src) >= 2 && src[0] == '"' && src[len(src)-1] == '"' {
		src = src[1 : len(src)-1]
	}
	var terms []func(*store.Message) bool
	for _, t := range searchTerms(src) {
		key, val, ok := strings.Cut(t, ":")
		if !ok {
			key, val = "", t
		}
		val = strings.ToLower(strings.Trim(val, `"`))
		has := func(s string) bool { return strings.Contains(strings.ToLower(s), val) }
		addr := func(as ...store.Address) bool {
			for _, a := range as {
				if has(a.Address) || has(a.Name) {
					return true
				}
			}
			return false
		}
		var term func(*store.Message) bool
		switch strings.ToLower(key) {
		case "from":
			term = func(m *store.Message) bool { return addr(m.From) }
		case "to":
			term = func(m *store.Message) bool { return addr(m.To...) }
		case "cc":
			term = func(m *store.Message) bool { return addr(m.Cc...) }
		case "subject":
			term = func(m *store.Message) bool { return has(m.Subject) }
		case "body":
			term = func(m *store.Message) bool { return has(m.Text) || has(store.HTMLText(m.HTML)) }
		case "attachment":
			term = func(m *store.Message) bool {
				for _, a := range m.Attachments {
					if has(a.Name) {
						return true
					}
				}
				return false
			}
		case "hasattachment", "hasattachments":
			term = func(m *store.Message) bool { return m.HasAttachments() == (val == "true") }
		default:
			term = func(m *store.Message) bool {
				return addr(m.From) || has(m.Subject) || has(m.Text) || has(store.HTMLText(m.HTML))
			}
		}
		terms = append(terms, term)
	}
	return func(m *store.Message) bool {
		for _, t := range terms {
			if !t(m) {
				return false
			}
		}
		return true
	}
}

// searchTerms splits on spaces outside double quotes.
func searchTerms(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		if r != '"' {
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
