package providers

import "github.com/mailscript/mailscript/internal/htmltext"

// Links returns every http(s) URL in the HTML (attribute values, entity-decoded) and the text
// of a message, in order of first appearance, without duplicates. The emulator's sink lists
// links with the same function.
func Links(text, htmlBody string) []string { return htmltext.Links(text, htmlBody) }
