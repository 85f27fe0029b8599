package emulator

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2/google"
	gmailapi "google.golang.org/api/gmail/v1"
)

func gmailToken(t testing.TB, env map[string]string) string {
	t.Helper()
	key, err := os.ReadFile(env["MAILSCRIPT_GOOGLE_CREDENTIALS_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	conf, err := google.JWTConfigFromJSON(key, gmailapi.GmailModifyScope)
	if err != nil {
		t.Fatal(err)
	}
	conf.Subject = env["MAILSCRIPT_GOOGLE_USER"]
	tok, err := conf.TokenSource(context.Background()).Token()
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// part is one answer inside a batch response.
type part struct {
	status     int
	retryAfter string
	body       string
}

// gmailBatch posts GETs of paths as one Gmail batch and returns the parts of the answer.
func gmailBatch(t *testing.T, s *Server, token string, paths ...string) []part {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i, p := range paths {
		w, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/http"}, "Content-ID": {fmt.Sprintf("<%d>", i)}})
		fmt.Fprintf(w, "GET %s HTTP/1.1\r\n\r\n", p)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.URL()+"/batch/gmail/v1", &body)
	req.Header.Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("batch: %d %v", resp.StatusCode, err)
	}
	var out []part
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		inner, err := http.ReadResponse(bufio.NewReader(p), nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(inner.Body)
		out = append(out, part{inner.StatusCode, inner.Header.Get("Retry-After"), string(b)})
	}
}

// graphBatch posts GETs of urls as one Graph $batch, each depending on the one before when
// chained, and returns the sub-responses in order.
func graphBatch(t *testing.T, s *Server, token string, chained bool, urls ...string) []part {
	t.Helper()
	var reqs []map[string]any
	for i, u := range urls {
		r := map[string]any{"id": fmt.Sprint(i + 1), "method": "GET", "url": u}
		if chained && i > 0 {
			r["dependsOn"] = []string{fmt.Sprint(i)}
		}
		reqs = append(reqs, r)
	}
	b, _ := json.Marshal(map[string]any{"requests": reqs})
	req, _ := http.NewRequest("POST", s.URL()+"/v1.0/$batch", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Responses []struct {
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"responses"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("$batch: %d %v", resp.StatusCode, err)
	}
	out := make([]part, len(doc.Responses))
	for i, r := range doc.Responses {
		out[i] = part{r.Status, r.Headers["Retry-After"], string(r.Body)}
	}
	return out
}

// sortParts orders parts by status, for batches whose calls race for the same slots.
func sortParts(ps []part) []part {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].status < ps[j].status })
	return ps
}

func statuses(ps []part) string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d/%q", p.status, p.retryAfter))
	}
	return strings.Join(out, " ")
}

// script makes s draw the given rolls in order, then no fault.
func script(s *Server, rolls ...float64) {
	var mu sync.Mutex
	s.roll = func() float64 {
		mu.Lock()
		defer mu.Unlock()
		if len(rolls) == 0 {
			return 0.999
		}
		r := rolls[0]
		rolls = rolls[1:]
		return r
	}
}

// TestBatchCallsMeetTheMailboxLimit: the calls of one batch run at once (Graph's up to 4, each
// for its service time), so beyond the limit they get 429 (Gmail without Retry-After, Graph
// with it), except Graph calls chained with dependsOn, which run one after another. A slot
// held by a plain call counts against a batch addressed through "me", and every slot is free
// once the batch is answered.
func TestBatchCallsMeetTheMailboxLimit(t *testing.T) {
	s := start(t, Config{GraphConcurrency: 2, GmailConcurrency: 2, ServiceTime: 200 * time.Millisecond})
	env := s.Env()
	gtok, mtok := gmailToken(t, env), graphToken(t, env)
	qa, _ := s.Store().Mailbox("qa@example.com")
	if !s.limiter.acquire("gmail "+qa.ID, 2) {
		t.Fatal("could not hold a slot")
	}
	inbox := "/users/" + env["MAILSCRIPT_M365_MAILBOX"] + "/mailFolders/inbox"
	tests := []struct {
		name string
		run  func() []part
		want string
	}{
		{"gmail, one slot taken by a plain call", func() []part {
			return gmailBatch(t, s, gtok, "/gmail/v1/users/me/profile", "/gmail/v1/users/QA@example.com/profile", "/gmail/v1/users/me/labels")
		}, `200/"" 429/"" 429/""`},
		{"graph, side by side", func() []part { return sortParts(graphBatch(t, s, mtok, false, inbox, inbox, inbox)) }, `200/"" 200/"" 429/"1"`},
		{"graph, chained with dependsOn", func() []part { return graphBatch(t, s, mtok, true, inbox, inbox, inbox) }, `200/"" 200/"" 200/""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.run()
			if statuses(got) != tt.want {
				t.Fatalf("parts = %s, want %s", statuses(got), tt.want)
			}
			last := got[len(got)-1]
			if last.status == 429 && !strings.Contains(last.body, "ApplicationThrottled") && !strings.Contains(last.body, "Too many concurrent requests for user") {
				t.Errorf("429 body: %s", last.body)
			}
		})
	}
	s.limiter.release("gmail " + qa.ID)
	if len(s.limiter.inFlight) != 0 {
		t.Errorf("slots still held after the batches: %v", s.limiter.inFlight)
	}
}

// TestBatchCallsFailAndCount: random failures hit single calls inside a batch, and each call is
// counted on its own route, next to the batch itself.
func TestBatchCallsFailAndCount(t *testing.T) {
	s := start(t, Config{Fail: map[int]float64{503: 0.5}})
	env := s.Env()
	gtok, mtok := gmailToken(t, env), graphToken(t, env)
	inbox := "/users/" + env["MAILSCRIPT_M365_MAILBOX"] + "/mailFolders/inbox"
	s.ResetCounts()
	script(s, 0.9, 0.1, 0.9) // the batch passes, its first call fails, its second passes
	if got := statuses(gmailBatch(t, s, gtok, "/gmail/v1/users/me/profile", "/gmail/v1/users/me/profile")); got != `503/"" 200/""` {
		t.Errorf("gmail parts = %s", got)
	}
	script(s, 0.9, 0.1, 0.9)
	// Graph runs a batch's calls side by side, so which of them draws the failing roll varies.
	if got := statuses(sortParts(graphBatch(t, s, mtok, false, inbox, inbox))); got != `200/"" 503/"1"` {
		t.Errorf("graph parts = %s", got)
	}
	counts := s.Counts()
	for key, want := range map[string]int64{
		"gmail POST /batch/gmail/v1":                    1,
		"gmail GET /gmail/v1/users/{user}/profile":      2,
		"graph POST /v1.0/$batch":                       1,
		"graph GET /v1.0/users/{user}/mailFolders/{id}": 2,
	} {
		if counts[key] != want {
			t.Errorf("counts[%s] = %d, want %d (all: %v)", key, counts[key], want, counts)
		}
	}
	want := Totals{Requests: 1, Calls: 2, BatchCalls: 2}
	if totals := s.Totals(); totals["gmail"] != want || totals["graph"] != want {
		t.Errorf("totals = %+v, want %+v for each face", totals, want)
	}
}
