package google

import (
	"context"
	"net/http"
	"strings"
)

// methodUnits is what each Gmail method the provider calls costs against the per-user rate
// limit, as https://developers.google.com/gmail/api/reference/quota lists it. A batch costs
// the sum of its calls: Google counts n batched calls as n calls.
var methodUnits = map[string]int{
	"getProfile":               1,
	"history.list":             2,
	"labels.get":               1,
	"labels.list":              1,
	"messages.attachments.get": 5,
	"messages.delete":          10,
	"messages.get":             5,
	"messages.list":            5,
	"messages.modify":          5,
	"messages.send":            100,
	"messages.trash":           5,
}

// unknownUnits is charged for a call missing from methodUnits: as much as the dearest call
// there but send, so that a forgotten entry errs on the slow side rather than toward 429s.
const unknownUnits = 10

// routes maps "VERB path under users/{user}/", with every id replaced by *, to its method.
// Ids sit at the odd segments (messages/*, labels/*, messages/*/attachments/*), so
// messages/send reads as "POST messages/*": no other POST has that shape.
var routes = map[string]string{
	"GET profile":                  "getProfile",
	"GET history":                  "history.list",
	"GET labels":                   "labels.list",
	"GET labels/*":                 "labels.get",
	"GET messages":                 "messages.list",
	"GET messages/*":               "messages.get",
	"DELETE messages/*":            "messages.delete",
	"POST messages/*":              "messages.send",
	"POST messages/*/modify":       "messages.modify",
	"POST messages/*/trash":        "messages.trash",
	"GET messages/*/attachments/*": "messages.attachments.get",
}

// methodOf names the Gmail method of a request to {root}gmail/v1/users/{user}/... or to
// {root}upload/gmail/v1/users/{user}/...; "" for anything else (the batch envelope).
func methodOf(verb, path string) string {
	_, rest, ok := strings.Cut(path, "/gmail/v1/users/")
	if !ok {
		return ""
	}
	_, rest, ok = strings.Cut(rest, "/") // the user id
	if !ok {
		return ""
	}
	segs := strings.Split(rest, "/")
	for i := 1; i < len(segs); i += 2 {
		segs[i] = "*"
	}
	return routes[verb+" "+strings.Join(segs, "/")]
}

type unitsKey struct{}

// withUnits tells the transport what a request costs when its URL cannot: a batch envelope
// carries the sum of its calls.
func withUnits(ctx context.Context, units int) context.Context {
	return context.WithValue(ctx, unitsKey{}, units)
}

// unitsOf is what r costs against the per-user quota. The chunks of a resumable upload after
// the first request (they carry upload_id) continue one send and cost nothing more.
func unitsOf(r *http.Request) int {
	if n, ok := r.Context().Value(unitsKey{}).(int); ok {
		return n
	}
	if r.URL.Query().Has("upload_id") {
		return 0
	}
	name := methodOf(r.Method, r.URL.Path)
	if n, ok := methodUnits[name]; ok {
		return n
	}
	return unknownUnits
}
