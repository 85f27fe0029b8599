package emulator

import (
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
)

// counters count requests per face and route ("graph GET /v1.0/users/{user}/messages").
type counters struct {
	mu sync.Mutex
	n  map[string]int64
}

func (c *counters) add(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int64{}
	}
	c.n[key]++
}

// Counts returns the number of requests served per face and route since start or the last
// ResetCounts, keyed like "graph GET /v1.0/users/{user}/messages/{id}".
func (s *Server) Counts() map[string]int64 {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	out := make(map[string]int64, len(s.counts.n))
	for k, v := range s.counts.n {
		out[k] = v
	}
	return out
}

// ResetCounts zeroes the request counters, so a benchmark can count one operation.
func (s *Server) ResetCounts() {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	s.counts.n = nil
}

// idParents are path segments followed by an id.
var idParents = map[string]bool{
	"messages": true, "attachments": true, "mailFolders": true, "childFolders": true, "labels": true, "threads": true, "drafts": true,
}

// actions are path segments that name an operation, never an id.
var actions = map[string]bool{
	"delta": true, "delta()": true, "$value": true, "send": true, "move": true, "copy": true, "createUploadSession": true,
	"batchModify": true, "batchDelete": true, "import": true, "insert": true, "permanentDelete": true, "trash": true,
	"untrash": true, "modify": true, "messages": true, "attachments": true, "childFolders": true,
}

// routeOf turns a path into its route template: users, tenants and ids become placeholders.
func routeOf(path string) string {
	seg := strings.Split(path, "/")
	if len(seg) > 2 && (seg[2] == "oauth2" || seg[2] == "v2.0" || seg[2] == "discovery") && seg[1] != "google" {
		seg[1] = "{tenant}"
	}
	if strings.HasPrefix(path, "/api/v2.0/") {
		return "/api/v2.0/{uploadSession}"
	}
	for i := 1; i < len(seg); i++ {
		switch {
		case seg[i-1] == "users":
			seg[i] = "{user}"
		case idParents[seg[i-1]] && !actions[seg[i]] && seg[i] != "":
			seg[i] = "{id}"
		}
	}
	return strings.Join(seg, "/")
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
