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
// served, and MailboxConcurrency answers 429 to calls beyond the limit for one mailbox (an
// id, an address or Gmail's "me" name the same mailbox). Graph's 429 and 503 carry
// Retry-After: 1; Gmail's carry none, as the service usually sends none.
//
// A batch (Gmail /batch/gmail/v1, Graph /v1.0/$batch) meets latency and drops once, as one
// HTTP exchange, and may itself fail; each call inside it is then counted, held to the mailbox
// limit and failed on its own, answered inside the batch response (Graph adds Retry-After to
// the sub-response). The services run a batch's calls side by side, so they hold their slots
// until the batch is answered, except a Graph batch with dependsOn, which runs in order.
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
// them: each batch call, not the envelope), BatchCalls and SignIn. For requests per operation,
// call [Server.ResetCounts] (DELETE /_emulator/counts), run the operation, and read Totals.
// Requests and calls refused by an injected fault are counted too: they cost the client a trip.
package emulator
