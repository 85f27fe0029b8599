package env_test

import (
	"testing"

	"github.com/mailscript/mailscript/jsruntime"
	"github.com/mailscript/mailscript/jsruntime/jsruntimetest"
)

func TestEnv(t *testing.T) {
	lookup := func(k string) string {
		return map[string]string{"MAILBOX": "qa@example.com"}[k]
	}
	tests := []struct{ src, wantErr string }{
		{"expect(env.MAILBOX).toBe('qa@example.com'); expect(env.NOPE).toBeUndefined(); expect('MAILBOX' in env).toBe(true)", ""},
		{"expect(env.NOPE ?? 'fallback').toBe('fallback')", ""},
		{"env.MAILBOX = 'x'", "TypeError: env is read-only: cannot set env.MAILBOX; set it in the environment or in the --env-file file"},
		{"delete env.MAILBOX", "TypeError: env is read-only: cannot delete env.MAILBOX; set it in the environment or in the --env-file file"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f := jsruntimetest.Run(t, "env.test.js", tt.src, jsruntime.Options{Env: lookup})
			if tt.wantErr == "" {
				jsruntimetest.RequirePassed(t, f)
				return
			}
			if e := f.Tests[0].Error; e == nil || e.Name+": "+e.Message != tt.wantErr {
				t.Fatalf("error = %+v, want %s", e, tt.wantErr)
			}
		})
	}
}
