// Package fetch installs the WHATWG fetch global and its companions (Headers, Request,
// Response, FormData, Blob, File, AbortController, AbortSignal, DOMException) over Go's
// net/http, so that scripts drive the application under test and open the links its mail
// carries. Each VM has its own client and cookie jar: it never shares a transport, a token or a
// credential with the mail providers, and a secret() reaches the wire without reaching JS.
package fetch
