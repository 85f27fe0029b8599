package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/internal/mailview"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/jsruntime/report"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/google"
)

// timelineToken is revealed by the script and must come out of the timeline redacted.
const timelineToken = "tok-5ecret-7f3a9c"

// timelineScript sends mail with an inline image and an attachment from a Gmail mailbox of
// the emulator to its own plus-address while waiting for it (qa@example.com is not used: a
// test beside this one registers it as a secret, which would mask it here), reads it again, fails one read,
// opens the application's page with the revealed token and logs; a second test leaves a
// waitFor running.
const timelineScript = `
const sam = mail.connect('google', { user: 'sam@example.com' });
const token = secret('env:API_TOKEN').reveal();
const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);

test('timeline', async () => {
  console.log('starting with', token);
  const to = sam.uniqueAddress('trace');
  await sam.list({ subject: token, limit: 5 });
  const waiting = sam.waitFor({ subject: 'Welcome aboard', to }, { timeout: '10s', interval: '100ms' });
  await sleep('350ms');
  await sam.send({ to, subject: 'Welcome aboard',
    html: '<p>Hi <img src="cid:logo@trace"> <a href="https://example.com/start">start</a></p>', text: 'Hi',
    attachments: [{ name: 'logo.png', content: png, inline: true, contentId: 'logo@trace' },
                  { name: 'terms.txt', content: 'the terms' }] });
  const msg = await waiting;
  await sam.read(msg, { format: 'raw' });
  await expect(sam.read('no-such-message')).rejects.toThrow();
  const res = await fetch(env.APP_URL + '/signup?token=' + token);
  expect(res.status).toBe(200);
  console.log('done');
});

test('left running', async () => {
  sam.waitFor({ subject: 'never sent' }, { timeout: '5s', interval: '100ms' });
  await sleep('300ms');
});
`

// runTimeline runs timelineScript against a fresh emulator and a loopback application.
func runTimeline(t *testing.T, record bool) (f report.File, appURL string) {
	t.Helper()
	srv, err := emulator.Start(context.Background(), emulator.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(app.Close)
	env := srv.Env()
	env["API_TOKEN"], env["APP_URL"] = timelineToken, app.URL
	registry := providers.NewRegistry(nil)
	registry.Register(google.Name, google.Connect)
	opts := mailOptions(registry, nil, func(k string) string { return env[k] })
	opts.Timeout, opts.RecordSteps = 20*time.Second, record
	return jsruntimetest.Run(t, "timeline.test.js", timelineScript, opts), app.URL
}

func TestTimelineRecorded(t *testing.T) {
	t.Parallel()
	f, appURL := runTimeline(t, true)
	if len(f.Tests) != 2 || f.Tests[0].Status != report.Passed || f.Tests[1].Status != report.Failed {
		t.Fatalf("tests = %+v, file error %+v", f.Tests, f.Error)
	}
	steps := f.Tests[0].Steps
	var names []string
	for _, s := range steps {
		names = append(names, s.Kind+" "+s.Name)
	}
	want := []string{"console log", "mail uniqueAddress", "mail list", "mail waitFor", "mail send", "mail read", "mail read",
		"fetch GET " + appURL + "/signup?token=[REDACTED]", "console log"}
	if !slices.Equal(names, want) {
		t.Fatalf("steps = %q, want %q", names, want)
	}
	for i, s := range steps {
		if i > 0 && s.Start < steps[i-1].Start {
			t.Errorf("step %d (%s) starts at %s, before the one before it (%s)", i, s.Name, s.Start, steps[i-1].Start)
		}
		wantOutcome := "ok"
		if i == 6 {
			wantOutcome = "error"
		}
		if s.Outcome != wantOutcome {
			t.Errorf("step %d (%s): outcome %q (%s), want %q", i, s.Name, s.Outcome, s.Error, wantOutcome)
		}
		if s.Kind == "mail" && s.Mailbox == "" {
			t.Errorf("step %d (%s) names no mailbox", i, s.Name)
		}
	}
	if steps[0].Result != "starting with [REDACTED]" || steps[8].Result != "done" || steps[0].Duration != 0 {
		t.Errorf("console steps = %q, %q", steps[0].Result, steps[8].Result)
	}
	if !strings.Contains(steps[2].Args, "subject: '[REDACTED]'") || steps[2].Mailbox != "sam@example.com" {
		t.Errorf("list step = %+v", steps[2])
	}
	if steps[7].Result != "200 OK" || steps[7].Duration <= 0 {
		t.Errorf("fetch step = %+v", steps[7])
	}
	if steps[6].Error == "" {
		t.Errorf("the failed read has no error: %+v", steps[6])
	}

	wait := steps[3]
	if len(wait.Polls) < 2 || wait.Polls[len(wait.Polls)-1].Matched != 1 || wait.Polls[0].Matched != 0 {
		t.Errorf("waitFor polls = %+v, want at least 2, the last matching", wait.Polls)
	}
	for _, p := range wait.Polls {
		if p.Start < wait.Start || p.Error != "" {
			t.Errorf("poll %+v of a wait starting at %s", p, wait.Start)
		}
	}
	if wait.Duration < 350*time.Millisecond || len(wait.Messages) != 1 {
		t.Fatalf("waitFor step = %+v", wait)
	}
	checkWelcome(t, "received", wait.Messages[0])
	if raw := wait.Messages[0].Raw; !bytes.Contains(raw, []byte("\r\nSubject: Welcome aboard\r\n")) {
		t.Errorf("the message waited for has no source fetched for the report: %q", raw)
	}
	if sent := steps[4].Messages; len(sent) != 1 || sent[0].From.Address != "sam@example.com" || sent[0].ID != steps[4].Result {
		b, _ := json.Marshal(steps[4])
		t.Errorf("send step = %s", b)
	} else {
		checkWelcome(t, "sent", sent[0])
	}
	if read := steps[5].Messages; len(read) != 1 || read[0].Subject != "Welcome aboard" || !bytes.Contains(read[0].Raw, []byte("Subject: Welcome aboard\r\n")) {
		t.Errorf("read step = %+v", steps[5])
	}

	left := f.Tests[1].Steps
	if len(left) != 1 || left[0].Name != "waitFor" || left[0].Outcome != "pending" || len(left[0].Polls) == 0 {
		t.Errorf("steps of the test that left waitFor running = %+v", left)
	}

	var out bytes.Buffer
	if err := report.NewJSON(&out).Finished([]report.File{f}, report.Summarize([]report.File{f}, 0)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"steps": [`) {
		t.Errorf("the JSON report lacks the steps:\n%s", out.String())
	}
	// Test.Output keeps the console's own text, which the run redacts on the way out; the
	// steps are redacted as they are recorded, attachments and messages included.
	if b, _ := json.Marshal(append(steps, left...)); strings.Contains(string(b), timelineToken) {
		t.Errorf("the steps show the secret:\n%s", b)
	}
}

// checkWelcome checks the view of the message the script sent.
func checkWelcome(t *testing.T, what string, m *mailview.Message) {
	t.Helper()
	if m.Subject != "Welcome aboard" || !strings.Contains(m.HTML, `src="cid:logo@trace"`) || !strings.HasPrefix(m.To[0].Address, "sam+trace-") ||
		!slices.Contains(m.Links, "https://example.com/start") {
		t.Errorf("%s message = %+v", what, m)
	}
	parts := map[string]mailview.Part{}
	for _, p := range m.Attachments {
		parts[p.Name] = p
	}
	logo, terms := parts["logo.png"], parts["terms.txt"]
	if !logo.Inline || logo.ContentID != "logo@trace" || logo.URL != "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte{137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3}) {
		t.Errorf("%s inline image = %+v", what, logo)
	}
	if terms.Inline || !strings.HasPrefix(terms.URL, "data:text/plain;base64,") || terms.Size != int64(len("the terms")) {
		t.Errorf("%s attachment = %+v", what, terms)
	}
	if b, _ := json.Marshal(m); strings.Contains(string(b), `"Raw"`) {
		t.Errorf("%s message serializes its raw source: %s", what, b)
	}
}

func TestTimelineOffByDefault(t *testing.T) {
	t.Parallel()
	f, _ := runTimeline(t, false)
	if len(f.Tests) != 2 || f.Tests[0].Status != report.Passed {
		t.Fatalf("tests = %+v, file error %+v", f.Tests, f.Error)
	}
	for _, tc := range f.Tests {
		if tc.Steps != nil {
			t.Errorf("%s recorded steps without RecordSteps: %+v", tc.Name, tc.Steps)
		}
	}
}
