package providers

import "strings"

// newlineFixer replaces CR LF, the CR CR LF some senders' double conversion leaves, and a lone
// CR; longer patterns first, as strings.Replacer tries them in argument order at each position.
var newlineFixer = strings.NewReplacer("\r\r\n", "\n", "\r\n", "\n", "\r", "\n")

// Newlines gives text and html bodies "\n" line ends whatever the wire used, so that a body
// compares equal to the template it was made from on every provider. Raw keeps the bytes.
func Newlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return newlineFixer.Replace(s)
}
