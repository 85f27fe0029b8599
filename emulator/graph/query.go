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

// parsePaging reads $top (1..1000, default given), $skip and $count, as Outlook checks them.
func parsePaging(q url.Values, defaultTop int) (top, skip int, count bool, e *apiError) {
	top = defaultTop
	if v, ok := queryParam(q, "top"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, false, errBadRequest("Invalid value '" + v + "' for $top query option found. The $top query option requires a non-negative integer value.")
		}
		if n > 1000 {
			return 0, 0, false, newError(400, "ErrorInvalidProperty", "The limit of '1000' for Top query has been exceeded. The value from the incoming request is '"+v+"'.")
		}
		top = max(n, 1)
	}
	if v, ok := queryParam(q, "skip"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, false, errBadRequest("Invalid value '" + v + "' for $skip query option found. The $skip query option requires a non-negative integer value.")
		}
		skip = n
	}
	if v, ok := queryParam(q, "count"); ok {
		count = strings.EqualFold(v, "true")
	}
	return top, skip, count, nil
}

// parseListQuery applies the service's rules: $top 1..1000 (default 10), no $search with
// $filter or $orderby, $orderby properties leading the $filter.
func parseListQuery(r *http.Request, defaultTop int) (*listQuery, *apiError) {
	q := r.URL.Query()
	lq := &listQuery{}
	var e *apiError
	if lq.top, lq.skip, lq.count, e = parsePaging(q, defaultTop); e != nil {
		return nil, e
	}
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
		if lq.search, e = parseSearch(search); e != nil {
			return nil, e
		}
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

// parseRender reads what shapes a message: $select, $expand and Prefer.
func parseRender(r *http.Request) (renderOpts, *apiError) {
	var o renderOpts
	q := r.URL.Query()
	if v, ok := queryParam(q, "select"); ok {
		var e *apiError
		if o.selected, e = parseSelect(v, knownMessageProp, canonicalProp, errSelectMessage); e != nil {
			return o, e
		}
	}
	if v, ok := queryParam(q, "expand"); ok {
		var e *apiError
		if o.expand, e = parseExpand(v); e != nil {
			return o, e
		}
	}
	o.bodyType = preference(r, "outlook.body-content-type")
	return o, nil
}

// parseSelect splits a $select list, checks each name and returns the canonical names
// without "id" (always returned first).
func parseSelect(v string, known func(string) bool, canonical func(string) string, unknown func(string) *apiError) ([]string, *apiError) {
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !known(p) {
			return nil, unknown(p)
		}
		if p = canonical(p); p != "id" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// errSelectMessage is Outlook's answer to an unknown $select name on messages; it names the
// Exchange type, not the Graph one.
func errSelectMessage(p string) *apiError {
	return newError(400, "RequestBroker--ParseUri", "Could not find a property named '"+p+"' on type 'Microsoft.OutlookServices.Message'.")
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
