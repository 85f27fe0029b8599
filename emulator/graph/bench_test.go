package graph

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
}

func benchGet(b *testing.B, c *http.Client, url, token string) {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

// BenchmarkAuthenticatedGet measures simple authenticated GETs of one message over loopback
// HTTP (target: 10,000/s on 2 cores).
func BenchmarkAuthenticatedGet(b *testing.B) {
	fx := newFixture(b)
	tok := fx.token(b, fx.app)
	ms, _ := fx.store.List("ana@contoso.com", store.Query{})
	u := fx.srv.URL + "/v1.0/users/ana@contoso.com/messages/" + ms[1].ID + "?$select=subject,isRead"
	c := benchClient()
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			benchGet(b, c, u, tok)
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

func bigStore(b *testing.B, fx *fixture) {
	for i := 0; i < 10000; i++ {
		raw := fmt.Sprintf("From: Sender %d <s%d@example.net>\r\nTo: ana@contoso.com\r\nSubject: Notification %d about invoice %d\r\n\r\nBody of message %d with code %06d.\r\n", i%50, i%50, i, i, i, i*7919%1000000)
		if _, err := fx.store.Insert("ana@contoso.com", []byte(raw), store.InsertOptions{ReceivedAt: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), IsRead: i%3 == 0}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList10k lists a page of a 10,000-message inbox with a filter and $orderby.
func BenchmarkList10k(b *testing.B) {
	fx := newFixture(b)
	bigStore(b, fx)
	tok := fx.token(b, fx.app)
	u := fx.srv.URL + "/v1.0/users/ana@contoso.com/mailFolders/inbox/messages?$top=50&$filter=" +
		url.QueryEscape("isRead eq false and receivedDateTime ge 2026-01-01T01:00:00Z") + "&$select=subject,from,receivedDateTime&$count=true"
	c := benchClient()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchGet(b, c, u, tok)
	}
}

// BenchmarkSearch10k runs a $search over the bodies of a 10,000-message mailbox.
func BenchmarkSearch10k(b *testing.B) {
	fx := newFixture(b)
	bigStore(b, fx)
	tok := fx.token(b, fx.app)
	u := fx.srv.URL + "/v1.0/users/ana@contoso.com/messages?$top=25&$search=" + url.QueryEscape(`"invoice 9999"`)
	c := benchClient()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		benchGet(b, c, u, tok)
	}
}
