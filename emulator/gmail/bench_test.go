package gmail

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// fill adds n messages to qa@example.com, every tenth an invoice.
func (e *env) fill(b *testing.B, n int) {
	for i := 0; i < n; i++ {
		subject := fmt.Sprintf("Update %d on your account", i)
		if i%10 == 0 {
			subject = fmt.Sprintf("Your invoice #%d", i)
		}
		raw := crlf(fmt.Sprintf("From: billing@shop.example\nTo: qa@example.com\nSubject: %s\n\n"+
			"Hello, this is message %d. It has a paragraph of ordinary text so that body search has work to do.\n", subject, i))
		if _, err := e.store.Insert(testUser, raw, store.InsertOptions{ReceivedAt: baseTime.Add(time.Duration(i) * time.Second), IsRead: i%3 == 0}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchGet(b *testing.B, e *env, path string) {
	tok := e.token(testUser, scopeReadonly)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

// BenchmarkGetMessage is the simple authenticated GET the speed target counts (10,000/s).
func BenchmarkGetMessage(b *testing.B) {
	e := newEnv(b)
	benchGet(b, e, "/gmail/v1/users/me/messages/"+e.ids["invoice"]+"?format=metadata")
}

// BenchmarkSearch10k lists a page of a q search over a 10,000-message mailbox.
func BenchmarkSearch10k(b *testing.B) {
	e := newEnv(b)
	e.fill(b, 10000)
	benchGet(b, e, "/gmail/v1/users/me/messages?q=subject:invoice+is:unread+ordinary&maxResults=500")
}

// BenchmarkList10k lists the first page of a 10,000-message inbox without q.
func BenchmarkList10k(b *testing.B) {
	e := newEnv(b)
	e.fill(b, 10000)
	benchGet(b, e, "/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=100")
}
