package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock freezes the rate limits' clock; advance moves it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func frozen(s *Server) *fakeClock {
	c := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	s.cost.now = c.now
	return c
}

// fetch GETs url with token and returns the status, Retry-After and body.
func fetch(t *testing.T, url, token string) part {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return part{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return part{resp.StatusCode, resp.Header.Get("Retry-After"), string(b)}
}

// TestGraphServiceTimeHoldsTheSlot: a call keeps its mailbox slot for its service time, so of
// 8 plain GETs sent together with a limit of 4, 4 are served and 4 get Graph's 429.
func TestGraphServiceTimeHoldsTheSlot(t *testing.T) {
	t.Parallel()
	s := start(t, Config{ServiceTime: 400 * time.Millisecond, GraphConcurrency: 4})
	env := s.Env()
	tok := graphToken(t, env)
	url := s.URL() + "/v1.0/users/" + env["MAILSCRIPT_M365_MAILBOX"] + "/mailFolders/inbox"
	got := make([]part, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = fetch(t, url, tok) }()
	}
	wg.Wait()
	if n := s.Totals()["graph"].Throttled; n != 4 {
		t.Errorf("throttled count = %d, want 4", n)
	}
	if statuses(sortParts(got)) != strings.Repeat(`200/"" `, 4)+strings.TrimSpace(strings.Repeat(`429/"1" `, 4)) {
		t.Fatalf("statuses = %s", statuses(got))
	}
	if b := got[7].body; !strings.Contains(b, `"ApplicationThrottled"`) || !strings.Contains(b, "MailboxConcurrency") {
		t.Errorf("429 body: %s", b)
	}
}

// TestGraphBatchRunsFourAtATime: a batch of 20 without dependsOn runs 4 calls at once, so a
// limit of 4 passes them all (in no less than 5 service times) while a limit of 3 refuses some.
func TestGraphBatchRunsFourAtATime(t *testing.T) {
	t.Parallel()
	const st = 100 * time.Millisecond
	for _, tt := range []struct {
		limit   int
		refused bool
	}{{4, false}, {3, true}} {
		t.Run(strconv.Itoa(tt.limit), func(t *testing.T) {
			t.Parallel()
			s := start(t, Config{ServiceTime: st, GraphConcurrency: tt.limit})
			env := s.Env()
			tok := graphToken(t, env)
			urls := make([]string, 20)
			for i := range urls {
				urls[i] = "/users/" + env["MAILSCRIPT_M365_MAILBOX"] + "/mailFolders/inbox"
			}
			began := time.Now()
			parts := graphBatch(t, s, tok, false, urls...)
			took := time.Since(began)
			refused := strings.Contains(statuses(parts), "429")
			if refused != tt.refused {
				t.Errorf("limit %d: statuses %s", tt.limit, statuses(parts))
			}
			if !tt.refused && took < 5*st {
				t.Errorf("20 calls 4 at a time took %v, less than 5 service times", took)
			}
		})
	}
}

// TestGraphRequestLimit: the 10,000-per-10-minutes limit (here 3) answers 429 with the wait
// until the oldest call leaves the window, and lets calls through again after it.
func TestGraphRequestLimit(t *testing.T) {
	t.Parallel()
	s := start(t, Config{GraphRequestLimit: 3})
	clock := frozen(s)
	env := s.Env()
	tok := graphToken(t, env)
	url := s.URL() + "/v1.0/users/" + env["MAILSCRIPT_M365_MAILBOX"] + "/mailFolders/inbox"
	for i := range 3 {
		if p := fetch(t, url, tok); p.status != 200 {
			t.Fatalf("call %d: %d %s", i+1, p.status, p.body)
		}
		clock.advance(time.Minute)
	}
	p := fetch(t, url, tok)
	if p.status != 429 || p.retryAfter != "420" || !strings.Contains(p.body, "ApplicationThrottled") {
		t.Fatalf("4th call: %d Retry-After %q %s", p.status, p.retryAfter, p.body)
	}
	clock.advance(7 * time.Minute)
	if p := fetch(t, url, tok); p.status != 200 {
		t.Errorf("after the window: %d %s", p.status, p.body)
	}
}

// TestGmailQuota: calls spend their method's units from a bucket of 10 seconds of rate; a
// call that does not fit gets Gmail's 429 rateLimitExceeded without Retry-After, a batch is
// charged part by part, and the bucket refills at the rate.
func TestGmailQuota(t *testing.T) {
	t.Parallel()
	s := start(t, Config{GmailQuotaRate: 10}) // 100 units at once
	clock := frozen(s)
	env := s.Env()
	tok := gmailToken(t, env)
	list := s.URL() + "/gmail/v1/users/me/messages"
	for i := range 19 { // 95 units
		if p := fetch(t, list, tok); p.status != 200 {
			t.Fatalf("list %d: %d %s", i+1, p.status, p.body)
		}
	}
	if got := statuses(gmailBatch(t, s, tok, "/gmail/v1/users/me/profile", "/gmail/v1/users/me/profile", "/gmail/v1/users/me/messages")); got != `200/"" 200/"" 429/""` {
		t.Errorf("batch of 1+1+5 units with 5 left: %s", got)
	}
	p := fetch(t, list, tok)
	var doc struct {
		Error struct {
			Code    int                       `json:"code"`
			Message string                    `json:"message"`
			Errors  []struct{ Reason string } `json:"errors"`
		} `json:"error"`
	}
	_ = json.Unmarshal([]byte(p.body), &doc)
	if p.status != 429 || p.retryAfter != "" || doc.Error.Message != "User-rate limit exceeded." || len(doc.Error.Errors) != 1 || doc.Error.Errors[0].Reason != "rateLimitExceeded" {
		t.Fatalf("over quota: %d Retry-After %q %s", p.status, p.retryAfter, p.body)
	}
	clock.advance(time.Second) // 10 units back
	for i, want := range []int{200, 200, 429} {
		if p := fetch(t, list, tok); p.status != want {
			t.Errorf("after 1 s, list %d: %d, want %d", i+1, p.status, want)
		}
	}
}

func TestUnitsOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/gmail/v1/users/me/messages/18c0ffee", 5},
		{"GET", "/gmail/v1/users/me/messages", 5},
		{"POST", "/gmail/v1/users/me/messages/send", 100},
		{"POST", "/upload/gmail/v1/users/me/messages/send", 100},
		{"POST", "/gmail/v1/users/me/messages/18c0ffee/modify", 5},
		{"DELETE", "/gmail/v1/users/me/messages/18c0ffee", 10},
		{"POST", "/gmail/v1/users/me/messages/import", 25},
		{"POST", "/upload/gmail/v1/users/me/messages", 25},
		{"GET", "/gmail/v1/users/me/history", 2},
		{"GET", "/gmail/v1/users/me/profile", 1},
		{"GET", "/gmail/v1/users/me/labels", 1},
		{"GET", "/gmail/v1/users/me/messages/18c0ffee/attachments/ANGj", 5},
	} {
		if got := unitsOf(tt.method, tt.path); got != tt.want {
			t.Errorf("unitsOf(%s %s) = %d, want %d", tt.method, tt.path, got, tt.want)
		}
	}
}

// TestRealisticPreset: the preset fills what is left zero, in Config and on the fault API,
// and settings given with it win; the deprecated names still set Graph's limit.
func TestRealisticPreset(t *testing.T) {
	t.Parallel()
	s := start(t, Config{Realistic: true, GraphConcurrency: 8})
	want := Realistic()
	want.GraphConcurrency = 8
	if got := s.CurrentFaults(); got.ServiceTime != want.ServiceTime || got.GraphConcurrency != 8 || got.GmailQuotaRate != 250 ||
		got.GmailConcurrency != want.GmailConcurrency || got.GraphRequestLimit != 10000 || got.Latency != want.Latency {
		t.Errorf("Config{Realistic, GraphConcurrency: 8} gave %+v", got)
	}
	for body, check := range map[string]func(Faults) bool{
		`{"realistic":true,"gmailConcurrency":10}`: func(f Faults) bool {
			return f.GmailConcurrency == 10 && f.GraphConcurrency == 4 && f.ServiceTime == want.ServiceTime
		},
		`{"mailboxConcurrency":3}`:                    func(f Faults) bool { return f.GraphConcurrency == 3 && f.GmailConcurrency == 0 && f.ServiceTime == 0 },
		`{"serviceTime":"80ms","gmailQuotaRate":100}`: func(f Faults) bool { return f.ServiceTime == 80*time.Millisecond && f.GmailQuotaRate == 100 },
	} {
		req, _ := http.NewRequest("PUT", s.URL()+"/_emulator/faults", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !check(s.CurrentFaults()) {
			t.Errorf("PUT %s: %d, faults %+v", body, resp.StatusCode, s.CurrentFaults())
		}
	}
	if err := s.SetFaults(Faults{GmailQuotaRate: 5}); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Errorf("a quota too low for a send: err = %v", err)
	}
}

// TestFaultsSummary: the banner names every fault and cost in effect, and "none" for none.
func TestFaultsSummary(t *testing.T) {
	t.Parallel()
	for f, want := range map[*Faults]string{
		{}:             "none",
		{SignIn: true}: "none",
		{Fail: map[int]float64{503: 0.05, 429: 0.1}, SignIn: true}: "fail 429=0.1, fail 503=0.05, sign-in too",
		{Latency: 20 * time.Millisecond, DropAfter: 0.2}:           "latency 20ms, drop after 0.2",
	} {
		if got := f.Summary(); got != want {
			t.Errorf("%+v: Summary() = %q, want %q", *f, got, want)
		}
	}
	if got := Realistic().Summary(); got != "latency 25ms, Graph service time 120ms, Graph concurrency 4, 10000 Graph calls/10 min, Gmail 250 units/s, Gmail concurrency 50" {
		t.Errorf("Realistic().Summary() = %q", got)
	}
}
