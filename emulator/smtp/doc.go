// Package smtp is the emulator's SMTP front door: an application's mail, sent over SMTP as it
// would be to Exchange Online or Gmail, is delivered by envelope recipient into the store's
// mailboxes (or its sink). The protocol is emersion/go-smtp's; this package only decides who
// may send and where the mail goes. It listens on loopback only and knows nothing of HTTP.
package smtp
