// Package emulator runs the loopback Microsoft 365 and Google Workspace emulator: one store,
// the Graph and Gmail faces, seeds, faults, request counters and the /_emulator inspection API.
// It speaks only HTTP; it knows nothing of JavaScript or of mailscript's providers.
//
// # Faults
//
// [Faults] (Config, [Server.SetFaults], PUT /_emulator/faults) apply to API requests: Graph
// /v1.0, Gmail /gmail, /upload/gmail and /batch/gmail, and upload-session URLs /api/v2.0.
// Each request draws one outcome: a failure from Fail (429, 500, 503 in the service's error
// shape), Drop (the connection closes before the request is served), DropAfter (it is served,
// then the connection closes without the answer) or nothing. Latency is added before it is
// served. Graph's injected 429 and 503 carry Retry-After: 1; Gmail's carry none, as the
// service usually sends none.
//
// # The cost model
//
// The rest of Faults is what the services charge and refuse (costmodel.go, with the sources
// of [Realistic]'s figures): a Graph call spends ServiceTime inside one of GraphConcurrency
// slots per app and mailbox, and at most GraphRequestLimit calls per app and mailbox go in
// any 10 minutes (429 ApplicationThrottled with Retry-After); a Gmail call is charged its
// method's quota units from a per-user bucket of 10 seconds of GmailQuotaRate (429
// rateLimitExceeded "User-rate limit exceeded.") and holds one of GmailConcurrency slots per
// user (429 "Too many concurrent requests for user."). An id, an address or Gmail's "me" name
// the same mailbox.
//
// A batch (Gmail /batch/gmail/v1, Graph /v1.0/$batch) meets latency and drops once, as one
// HTTP exchange, and may itself fail; each call inside it is then counted, held to the cost
// model and failed on its own, answered inside the batch response (Graph adds Retry-After to
// the sub-response). Graph runs a batch's calls 4 at a time, each holding its slot for its
// service time, or in order when any uses dependsOn; Gmail fans them out at once, so they hold
// their slots until the batch is answered.
//
// Token endpoints get Latency, Fail, Drop and DropAfter only when Faults.SignIn is set, and
// fail in the OAuth shapes (Entra: temporarily_unavailable / AADSTS90033 with Retry-After, or
// server_error; Google: temporarily_unavailable or internal_failure). /_emulator requests and
// OpenID configuration and discovery requests are never faulted.
//
// # Request counts
//
// Every request a face receives is counted; /_emulator requests are not.
// [Server.Counts] (GET /_emulator/counts) maps "face METHOD route" to a count, the route with
// users, tenants and ids as placeholders: "graph GET /v1.0/users/{user}/messages/{id}",
// "gmail POST /batch/gmail/v1", "graph POST /{tenant}/oauth2/v2.0/token". A call inside a
// batch is counted on its own route as well as the batch on its endpoint. [Server.Totals]
// (GET /_emulator/counts/totals) sums them per face ("graph", "gmail") as [Totals]:
// Requests (API round trips, a batch once, sign-in excluded), Calls (API calls as quota counts
// them: each batch call, not the envelope), BatchCalls, SignIn and Throttled (calls the cost
// model refused). For requests per operation,
// call [Server.ResetCounts] (DELETE /_emulator/counts), run the operation, and read Totals.
// Requests and calls refused by an injected fault are counted too: they cost the client a trip.
package emulator
