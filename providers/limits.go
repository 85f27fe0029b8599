package providers

// MaxMessageBytes is the largest message both services take, as sent (attachments base64-encoded
// in the MIME): Exchange Online's default maximum send size, 35 MB, and the Gmail API's
// messages.send upload limit (maxSize 36700160 in its discovery document). No attachment can
// be larger, so a file given by path is refused above it before it is read.
const MaxMessageBytes = 35 << 20
