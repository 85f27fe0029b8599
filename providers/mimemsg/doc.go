// Package mimemsg turns RFC 5322 bytes into the parts of a providers.Message (headers, text,
// html, attachments, in UTF-8) and builds RFC 5322 messages from a providers.Draft, using the
// standard library's MIME packages. The decoding rules themselves (charsets, encodings, the
// classification of parts) are internal/mimedecode's, shared with the emulator's store. It
// makes no network calls and knows no mail service.
package mimemsg
