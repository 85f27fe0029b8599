package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func put(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("PUT", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&b)
	return resp.StatusCode, b
}

func TestInspectFaults(t *testing.T) {
	s := start(t, Config{})
	tests := []struct {
		body   string
		status int
		want   Faults
	}{
		{`{"latency":"5ms","fail":{"503":0.1},"dropAfter":0.2,"signIn":true}`, 200,
			Faults{Latency: 5e6, Fail: map[int]float64{503: 0.1}, DropAfter: 0.2, SignIn: true}},
		{`{"drop_after":0.2}`, 400, Faults{}},
		{`{"drop":0.5,"dropAfter":0.6}`, 400, Faults{}},
	}
	for _, tt := range tests {
		_ = s.SetFaults(Faults{})
		status, body := put(t, s.URL()+"/_emulator/faults", tt.body)
		got := s.CurrentFaults()
		if status != tt.status || got.DropAfter != tt.want.DropAfter || got.SignIn != tt.want.SignIn || got.Latency != tt.want.Latency || len(got.Fail) != len(tt.want.Fail) {
			t.Errorf("PUT %s: %d %s, faults now %+v", tt.body, status, body, got)
		}
	}
	_ = s.SetFaults(Faults{DropAfter: 0.25, SignIn: true})
	if _, body := get(t, s.URL()+"/_emulator/faults", ""); !strings.Contains(string(body), `"dropAfter": 0.25`) || !strings.Contains(string(body), `"signIn": true`) {
		t.Errorf("GET faults: %s", body)
	}
}

func TestInspectTotals(t *testing.T) {
	s := start(t, Config{})
	env := s.Env()
	tok := graphToken(t, env)
	get(t, s.URL()+"/v1.0/users/"+env["MAILSCRIPT_M365_MAILBOX"]+"/messages", tok)
	get(t, s.URL()+"/_emulator/mailboxes", "")
	status, body := get(t, s.URL()+"/_emulator/counts/totals", "")
	var totals map[string]Totals
	if err := json.Unmarshal(body, &totals); err != nil || status != 200 {
		t.Fatalf("totals: %d %s", status, body)
	}
	if want := (Totals{Requests: 1, Calls: 1, SignIn: 1}); totals["graph"] != want || totals["gmail"] != (Totals{}) {
		t.Errorf("totals = %+v, want graph %+v and gmail zero", totals, want)
	}
}
