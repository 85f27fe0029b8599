package google

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/gmail"
	"github.com/mailscript/mailscript/providers"
)

func TestAuthErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		delegated []string
		user      string
		scopes    any
		op        func(m *mailbox) error
		code      providers.Code
		want      []string
	}{
		{
			name: "no delegation for the scope", delegated: []string{"https://www.googleapis.com/auth/gmail.readonly"}, user: qaUser,
			op:   func(m *mailbox) error { _, err := m.List(ctx, providers.Criteria{}); return err },
			code: providers.AuthFailed, want: []string{"unauthorized_client", "Domain Wide Delegation", saID, ScopeModify},
		},
		{
			name: "unknown user", user: "nobody@example.com",
			op:   func(m *mailbox) error { _, err := m.Folders(ctx); return err },
			code: providers.AuthFailed, want: []string{"invalid_grant", `"nobody@example.com"`, "Invalid email or User ID", EnvUser},
		},
		{
			name: "scope too narrow", user: qaUser, scopes: "gmail.readonly",
			delegated: []string{ScopeModify, "https://www.googleapis.com/auth/gmail.readonly"},
			op: func(m *mailbox) error {
				_, err := m.Send(ctx, providers.Draft{To: []providers.Address{{Address: devUser}}, Subject: "x"})
				return err
			},
			code: providers.PermissionDenied, want: []string{"insufficientPermissions", "gmail.send", "domain-wide delegation"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEmu(t, emuOptions{delegated: tt.delegated})
			opts := providers.Options{}
			if tt.scopes != nil {
				opts["scopes"] = tt.scopes
			}
			err := tt.op(e.connect(tt.user, opts))
			if providers.CodeOf(err) != tt.code {
				t.Fatalf("error = %v, want code %s", err, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// fastRetries shortens the backoff and lookup waits for one test.
func fastRetries(t *testing.T) {
	schedule, delay := retryBackoff, lookupDelay
	retryBackoff.First, lookupDelay = time.Millisecond, time.Millisecond
	t.Cleanup(func() { retryBackoff, lookupDelay = schedule, delay })
}

func TestThrottleStorm(t *testing.T) {
	fastRetries(t)
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	for i := range 120 {
		e.insert(qaUser, rawMail("a@example.org", qaUser, fmt.Sprintf("storm %03d", i), "x"), noOpts)
	}
	e.throttle.Store(6)
	got, err := qa.List(ctx, providers.Criteria{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 120 {
		t.Fatalf("listed %d messages, want 120", len(got))
	}
	e.throttle.Store(5)
	var wg sync.WaitGroup
	errs := make([]error, len(got))
	for i, s := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var msg *providers.Message
			msg, errs[i] = qa.Read(ctx, s.ID, providers.ReadOptions{})
			if errs[i] == nil && msg.Subject != s.Subject {
				errs[i] = fmt.Errorf("read %s got %q, want %q", s.ID, msg.Subject, s.Subject)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	e.throttle.Store(1000)
	_, err = qa.Folders(ctx)
	if providers.CodeOf(err) != providers.Throttled {
		t.Errorf("endless 429s: %v, want THROTTLED", err)
	}
	e.throttle.Store(0)
}

func TestSendLostAnswer(t *testing.T) {
	fastRetries(t)
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	tests := []struct {
		name string
		size int
	}{{"multipart", 10}, {"resumable", 6 << 20}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dropped atomic.Int32
			// The request that completes the send (the multipart upload, or the last chunk of a
			// resumable one) is processed and its answer dropped, once.
			e.dropWhen(func(r *http.Request) bool {
				if !strings.Contains(r.URL.Path, "/messages/send") {
					return false
				}
				q := r.URL.Query()
				last := q.Get("uploadType") == "multipart"
				if q.Get("upload_id") != "" {
					var from, to, total int
					_, err := fmt.Sscanf(r.Header.Get("Content-Range"), "bytes %d-%d/%d", &from, &to, &total)
					last = err == nil && to == total-1
				}
				return last && dropped.Add(1) == 1
			})
			defer e.dropWhen(nil)
			subject := "lost answer " + tt.name
			_, err := qa.Send(ctx, providers.Draft{To: []providers.Address{{Address: devUser}}, Subject: subject,
				Attachments: []providers.DraftAttachment{{Name: "a.bin", Content: make([]byte, tt.size)}}})
			if err != nil {
				t.Fatal(err)
			}
			if dropped.Load() == 0 {
				t.Fatal("no answer was dropped: the test did not exercise the fault")
			}
			dev := e.connect(devUser, nil)
			got, err := dev.List(ctx, providers.Criteria{Subject: providers.Matcher{Contains: subject}})
			if err != nil || len(got) != 1 {
				t.Errorf("delivered %d copies (%v), want exactly one", len(got), err)
			}
		})
	}
}

func TestShortLivedTokens(t *testing.T) {
	e := newEmu(t, emuOptions{tokenTTL: 2 * time.Second})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	e.insert(qaUser, rawMail("a@example.org", qaUser, "tick", "x"), noOpts)
	e.log()
	stop := time.Now().Add(3 * time.Second)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if _, err := qa.List(ctx, providers.Criteria{}); err != nil {
					failures.Add(1)
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	tokens := 0
	for _, r := range e.log() {
		if strings.HasSuffix(r, gmail.TokenPath) {
			tokens++
		}
	}
	// 3 s of 2-second tokens renewed at 90% of their life: 2 or 3 fetches, shared by all callers.
	if failures.Load() > 0 || tokens < 2 || tokens > 4 {
		t.Errorf("%d token requests over 3 s with 2 s tokens (and %d failures)", tokens, failures.Load())
	}
}
