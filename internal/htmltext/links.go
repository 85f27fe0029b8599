package htmltext

import (
	"html"
	"regexp"
	"strings"
)

// hrefPattern finds link targets in HTML attributes; urlPattern finds bare URLs in text.
var (
	hrefPattern = regexp.MustCompile(`(?i)\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')`)
	urlPattern  = regexp.MustCompile(`https?://[^\s<>"')\]]+`)
)

// Links returns every http(s) URL in the HTML (attribute values, entity-decoded) and the text
// of a message, in order of first appearance, without duplicates.
func Links(text, htmlBody string) []string {
	seen := map[string]bool{}
	links := []string{}
	add := func(u string) {
		u = strings.TrimRight(u, ".,;:!?")
		if !seen[u] && (strings.HasPrefix(strings.ToLower(u), "http://") || strings.HasPrefix(strings.ToLower(u), "https://")) {
			seen[u] = true
			links = append(links, u)
		}
	}
	for _, m := range hrefPattern.FindAllStringSubmatch(htmlBody, -1) {
		add(strings.TrimSpace(html.UnescapeString(m[1] + m[2])))
	}
	for _, u := range urlPattern.FindAllString(html.UnescapeString(htmlBody), -1) {
		add(u)
	}
	for _, u := range urlPattern.FindAllString(text, -1) {
		add(u)
	}
	return links
}
