// Package mailview is the one message view that the HTML report (mailscript run --html) and
// the emulator's web viewer share: a Message model as JSON, and the embedded script and style
// sheet (Assets, Handler, WriteAssets) that render it as a mail client would: headers, the HTML
// body in a sandboxed iframe with a CSP that blocks remote loads, cid: images from the
// message's own parts, the text part, links, attachments, the raw source on demand. The
// script's API is described at the top of mailview.js. It imports neither providers nor the
// emulator: each side converts its own message into a Message.
package mailview
