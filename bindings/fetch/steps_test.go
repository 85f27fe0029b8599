package fetch_test

import (
	"strings"
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
	"github.com/mailscript/mailscript/secrets"
)

// TestFetchStepArgs: a fetch in the timeline shows the request beside its method and URL:
// the names of its headers (not their values), its body's size and type, and the start of a
// text body with secrets masked.
func TestFetchStepArgs(t *testing.T) {
	t.Parallel()
	a := newApp(t, false)
	redactor := &secrets.Redactor{}
	redactor.Add("hunter2-secret")
	f := jsruntimetest.Run(t, "steps.test.js", `
		test('signs up', async () => {
			await fetch(env.APP + '/echo', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer session-abc' },
				body: JSON.stringify({ email: 'ada@example.com', password: 'hunter2-secret' }) });
			const form = new FormData();
			form.append('name', 'Ada');
			form.append('cv', new Blob(['%PDF'], { type: 'application/pdf' }), 'cv.pdf');
			await fetch(env.APP + '/form', { method: 'POST', body: form });
			await fetch(env.APP + '/echo');
		});
	`, jsruntime.Options{Env: envWith(map[string]string{"APP": a.URL}), RecordSteps: true, Redactor: redactor})
	jsruntimetest.RequirePassed(t, f)
	var args []string
	for _, s := range f.Tests[0].Steps {
		if s.Kind == "fetch" {
			args = append(args, s.Args)
		}
	}
	if len(args) != 3 {
		t.Fatalf("fetch steps' args %q, want 3", args)
	}
	if want := `headers: authorization; body: 55 bytes of application/json: {"email":"ada@example.com","password":"[REDACTED]"}`; args[0] != want {
		t.Errorf("JSON POST: %q, want %q", args[0], want)
	}
	if !strings.HasPrefix(args[1], "body: ") || !strings.Contains(args[1], "bytes of multipart/form-data; boundary=") || strings.Contains(args[1], "%PDF") {
		t.Errorf("FormData POST: %q, want its size and type, not its parts", args[1])
	}
	if args[2] != "" {
		t.Errorf("plain GET: %q, want nothing beside the method and URL", args[2])
	}
	if strings.Contains(strings.Join(args, " "), "session-abc") {
		t.Error("a header value shows in the timeline")
	}
}
