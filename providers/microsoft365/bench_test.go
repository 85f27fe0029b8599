package microsoft365

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/providers"
)

// benchFixture is the benchmark setting of issue 4: 20 ms latency, mailbox concurrency 4.
func benchFixture(b *testing.B, n int) (*fixture, []string) {
	fx := newFixture(b, faults{latency: 20 * time.Millisecond, concurrency: 4})
	base := time.Now().Add(-time.Hour)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fx.insert(b, fmt.Sprintf("Bench %04d", i), "bench@example.net", base.Add(time.Duration(i)*time.Second))
	}
	return fx, ids
}

// measure runs fn b.N times and reports Graph requests per run (tokens excluded, and the
// one-off folder lookup included).
func measure(b *testing.B, fx *fixture, fn func(ctx context.Context, mb *mailbox)) {
	ctx := context.Background()
	var total int64
	for b.Loop() {
		mb := fx.connect(b, nil)
		if _, err := sharedTokenSource(mb.cfg, nil).Token(ctx); err != nil {
			b.Fatal(err)
		}
		before := fx.requests.Load()
		fn(ctx, mb)
		total += fx.requests.Load() - before
	}
	b.ReportMetric(float64(total)/float64(b.N), "requests/op")
}

func BenchmarkRead200Concurrent(b *testing.B) {
	fx, ids := benchFixture(b, 200)
	measure(b, fx, func(ctx context.Context, mb *mailbox) {
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := mb.Read(ctx, id, providers.ReadOptions{}); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
	})
}

func BenchmarkRead200Sequential(b *testing.B) {
	fx, ids := benchFixture(b, 200)
	measure(b, fx, func(ctx context.Context, mb *mailbox) {
		for _, id := range ids {
			if _, err := mb.Read(ctx, id, providers.ReadOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkList1000(b *testing.B) {
	fx, _ := benchFixture(b, 1000)
	measure(b, fx, func(ctx context.Context, mb *mailbox) {
		if got, err := mb.List(ctx, providers.Criteria{Limit: 1000}); err != nil || len(got) != 1000 {
			b.Fatal(len(got), err)
		}
	})
}

// BenchmarkList1000Plain pages with Graph's default page size, as a naive client does.
func BenchmarkList1000Plain(b *testing.B) {
	fx, _ := benchFixture(b, 1000)
	measure(b, fx, func(ctx context.Context, mb *mailbox) {
		n := 0
		for link := mb.userRel + "/mailFolders/inbox/messages"; link != ""; {
			var page struct {
				Value []graphMessage `json:"value"`
				Next  string         `json:"@odata.nextLink"`
			}
			if err := mb.getJSON(ctx, op{"list", "Mail.Read"}, link, nil, &page); err != nil {
				b.Fatal(err)
			}
			n += len(page.Value)
			link = page.Next
		}
		if n != 1000 {
			b.Fatal(n)
		}
	})
}

func BenchmarkWaitFor(b *testing.B) {
	fx, _ := benchFixture(b, 50)
	i := 0
	measure(b, fx, func(ctx context.Context, mb *mailbox) {
		i++
		subject := fmt.Sprintf("Arrives later %d", i)
		go func() {
			time.Sleep(time.Second)
			fx.insert(b, subject, "late@example.net", time.Now())
		}()
		if _, err := mb.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: subject}}, providers.WaitOptions{Interval: time.Second, Timeout: 10 * time.Second}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkWaitForPlain re-lists the inbox every interval, as a naive client does.
func BenchmarkWaitForPlain(b *testing.B) {
	fx, _ := benchFixture(b, 50)
	i := 0
	measure(b, fx, func(ctx context.Context, mb *mailbox) {
		i++
		subject := fmt.Sprintf("Arrives later %d", i)
		go func() {
			time.Sleep(time.Second)
			fx.insert(b, subject, "late@example.net", time.Now())
		}()
		for {
			resp, err := mb.do(ctx, op{"list", "Mail.Read"}, http.MethodGet, mb.userRel+"/mailFolders/inbox/messages?$top=50&$select=subject&$filter="+url.QueryEscape("subject eq '"+subject+"'"), nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if len(body) > 0 && strings.Contains(string(body), subject) {
				return
			}
			time.Sleep(time.Second)
		}
	})
}
