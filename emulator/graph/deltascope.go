package graph

import (
	"slices"
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// deltaScope is a delta round's compiled options: how items render, which messages are in
// scope ($filter=receivedDateTime ge|gt), and which kinds of change are reported.
type deltaScope struct {
	render  renderOpts
	since   time.Time
	sinceGT bool
	filter  bool
	change  string // "", "created", "updated" or "deleted"
}

func errDeltaFilter(src string) *apiError {
	return errBadRequest("The $filter '" + src + "' is not supported on messages delta: the only supported expressions are 'receivedDateTime ge {value}' and 'receivedDateTime gt {value}'.")
}

// compileDeltaScope applies the documented limits of messages delta: $select, $expand and
// $top as anywhere; $filter only on receivedDateTime ge/gt; $orderby only receivedDateTime
// desc; changeType created, updated or deleted.
func compileDeltaScope(st deltaState) (deltaScope, *apiError) {
	var sc deltaScope
	var e *apiError
	if st.Select != "" {
		if sc.render.selected, e = parseSelect(st.Select, knownMessageProp, canonicalProp, errSelectMessage); e != nil {
			return sc, e
		}
	}
	if st.Expand != "" {
		if sc.render.expand, e = parseExpand(st.Expand); e != nil {
			return sc, e
		}
	}
	if st.Filter != "" {
		fields := strings.Fields(st.Filter)
		if len(fields) != 3 || !strings.EqualFold(fields[0], "receivedDateTime") || !slices.Contains([]string{"ge", "gt"}, strings.ToLower(fields[1])) {
			return sc, errDeltaFilter(st.Filter)
		}
		t, err := time.Parse(time.RFC3339Nano, fields[2])
		if err != nil {
			return sc, errBadRequest("The $filter value '" + fields[2] + "' is not a date-time; use the form 2026-01-02T03:04:05Z.")
		}
		sc.filter, sc.since, sc.sinceGT = true, t, strings.EqualFold(fields[1], "gt")
	}
	if st.Order != "" {
		if f := strings.Fields(st.Order); len(f) != 2 || !strings.EqualFold(f[0], "receivedDateTime") || !strings.EqualFold(f[1], "desc") {
			return sc, errBadRequest("The $orderby '" + st.Order + "' is not supported on messages delta: the only supported expression is 'receivedDateTime desc'.")
		}
	}
	switch c := strings.ToLower(st.Change); c {
	case "", "created", "updated", "deleted":
		sc.change = c
	default:
		return sc, errBadRequest("The changeType '" + st.Change + "' is not valid: use created, updated or deleted.")
	}
	return sc, nil
}

// inScope applies the round's $filter: on Graph the filtered set is what the round tracks.
func (sc deltaScope) inScope(m *store.Message) bool {
	if !sc.filter {
		return true
	}
	t := m.ReceivedAt.Truncate(time.Second)
	if sc.sinceGT {
		return t.After(sc.since)
	}
	return !t.Before(sc.since)
}

func deltaItem(f *Face, m *store.Message, o renderOpts) object {
	return append(object{{"@odata.type", "#microsoft.graph.message"}}, f.renderMessage(m, o)...)
}

func removedItem(id string) object {
	return object{{"@odata.type", "#microsoft.graph.message"}, {"id", id}, {"@removed", object{{"reason", "deleted"}}}}
}

// initialItems enumerates the folder (newest first), within the filter's scope and cap.
func (f *Face) initialItems(c *call, folderID string, sc deltaScope) ([]any, error) {
	ms, err := f.store.List(c.mb.ID, store.Query{Folder: folderID, Match: sc.inScope})
	if err != nil {
		return nil, err
	}
	if sc.filter && len(ms) > maxFilteredDelta {
		ms = ms[:maxFilteredDelta]
	}
	items := make([]any, len(ms))
	for i, m := range ms {
		items[i] = deltaItem(f, m, sc.render)
	}
	return items, nil
}

// changeItems turns the change records between st.Hist and st.Upto into delta items: the
// current state of each touched message still in the folder (created when it arrived in the
// round, updated otherwise), @removed for the ones that left it.
func (f *Face) changeItems(c *call, folderID string, st deltaState, sc deltaScope) ([]any, error) {
	recs, _, err := f.store.History(c.mb.ID, st.Hist)
	if err != nil {
		return nil, err
	}
	var order []string
	added, touched := map[string]bool{}, map[string]bool{}
	for _, r := range recs {
		if r.ID > st.Upto {
			break
		}
		if !slices.Contains(order, r.MessageID) {
			order = append(order, r.MessageID)
		}
		if slices.Contains(r.Labels, folderID) {
			touched[r.MessageID] = true
			added[r.MessageID] = added[r.MessageID] || r.Kind == store.MessageAdded || r.Kind == store.LabelsAdded
		}
	}
	var items []any
	for _, id := range order {
		m, err := f.store.Get(c.mb.ID, id)
		kind := "updated"
		switch {
		case err == nil && m.InFolder(folderID):
			if added[id] {
				kind = "created"
			}
		case touched[id]:
			kind = "deleted"
		default:
			continue
		}
		switch {
		case sc.change != "" && sc.change != kind:
		case kind == "deleted":
			items = append(items, removedItem(id))
		case sc.inScope(m):
			items = append(items, deltaItem(f, m, sc.render))
		}
	}
	return items, nil
}
