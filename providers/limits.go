package providers

import "fmt"

// MaxMessageBytes is the largest message both services take, as sent (attachments base64-encoded
// in the MIME): Exchange Online's default maximum send size, 35 MB, and the Gmail API's
// messages.send upload limit (maxSize 36700160 in its discovery document). No attachment can
// be larger, so a file given by path is refused above it before it is read.
const MaxMessageBytes = 35 << 20

// FormatSize writes n bytes the way the services state their limits, in MB of 1,048,576
// bytes: "41.2 MB".
func FormatSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
