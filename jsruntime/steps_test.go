package jsruntime_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/jsruntime/report"
)

// stepNames renders steps as "kind name: result (outcome)".
func stepNames(steps []report.Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Kind+" "+s.Name+": "+s.Result+" ("+s.Outcome+")")
	}
	return out
}

// TestStepsOfLastAttempt: a test's timeline holds its last attempt, beforeEach and afterEach
// included, and nothing of the beforeAll hook or the attempts before; times count from the
// attempt's start.
func TestStepsOfLastAttempt(t *testing.T) {
	t.Parallel()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(app.Close)
	src := `
let n = 0;
beforeAll(() => console.log('setting up'));
beforeEach(() => console.info('before', n + 1));
afterEach(() => console.warn('after', n));
test('flaky', async () => {
  n++;
  console.log('attempt', n);
  const res = await fetch(env.APP_URL + (n === 1 ? '/' : '/missing'), { method: n === 1 ? 'GET' : 'POST' });
  if (n === 1) throw new Error('first attempt fails');
  await fetch('http://127.0.0.1:1/refused').catch(() => {});
  console.error(res.status);
});
`
	opts := jsruntime.Options{Retries: 1, RecordSteps: true, Timeout: 10 * time.Second,
		Env: func(k string) string { return map[string]string{"APP_URL": app.URL}[k] }}
	f := jsruntimetest.Run(t, "steps.test.js", src, opts)
	jsruntimetest.RequirePassed(t, f)
	tc := f.Tests[0]
	want := []string{
		"console info: before 2 (ok)",
		"console log: attempt 2 (ok)",
		"fetch POST " + app.URL + "/missing: 404 Not Found (ok)",
		"fetch GET http://127.0.0.1:1/refused:  (error)",
		"console error: 404 (ok)",
		"console warn: after 2 (ok)",
	}
	if got := stepNames(tc.Steps); !slices.Equal(got, want) || !tc.Flaky() {
		t.Fatalf("steps = %q, want %q (flaky %v)", got, want, tc.Flaky())
	}
	if tc.Steps[0].Start < 0 || tc.Steps[0].Start > tc.Duration || tc.Steps[2].Duration <= 0 || tc.Steps[3].Error == "" {
		t.Errorf("steps = %+v", tc.Steps)
	}
}

// TestStepsOfLinearScript: a script without test() is one test, and its top-level code's
// steps are that test's timeline.
func TestStepsOfLinearScript(t *testing.T) {
	t.Parallel()
	f := jsruntimetest.Run(t, "linear.test.js", "console.log('hello');\nawait sleep('10ms');\nconsole.dir({ a: 1 });\n",
		jsruntime.Options{RecordSteps: true})
	jsruntimetest.RequirePassed(t, f)
	if got, want := stepNames(f.Tests[0].Steps), []string{"console log: hello (ok)", "console dir: { a: 1 } (ok)"}; !slices.Equal(got, want) {
		t.Errorf("steps = %q, want %q", got, want)
	}
	if s := f.Tests[0].Steps; s[1].Start-s[0].Start < 10*time.Millisecond {
		t.Errorf("the second line is logged at %s, less than 10ms after the first at %s", s[1].Start, s[0].Start)
	}
}
