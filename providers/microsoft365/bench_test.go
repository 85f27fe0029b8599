package microsoft365

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

// These benchmarks compare what the provider does with the plain approaches, and time what
// providers/costbench does not (reads one at a time, waitFor); costbench's BenchmarkRealistic
// times 200 concurrent reads, 500 summaries and a send burst against the model's limits.

// benchEmulator is the emulator under --realistic (25 ms round trips, 120 ms per Graph call,
// 4 calls at once per mailbox) with n messages in qa@contoso.com's inbox.
func benchEmulator(b *testing.B, n int) (*emu, []string) {
	e := startEmulator(b, emulator.Config{Realistic: true})
	base := time.Now().Add(-time.Hour)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.insert(b, fmt.Sprintf("Bench %04d", i), "bench@example.net", base.Add(time.Duration(i)*time.Second))
	}
	return e, ids
}

// measure runs fn b.N times, each on a new connection whose token is already fetched (so the
// folder lookup a first read needs is included), and reports the Graph HTTP requests and the
// calls they carried per run.
func measure(b *testing.B, e *emu, fn func(ctx context.Context, mb *mailbox)) {
	ctx := context.Background()
	var requests, calls int64
	for b.Loop() {
		b.StopTimer()
		mb := e.connect(b, nil)
		if _, err := sharedTokenSource(mb.cfg, nil).Token(ctx); err != nil {
			b.Fatal(err)
		}
		e.srv.ResetCounts()
		b.StartTimer()
		fn(ctx, mb)
		g := e.graph()
		requests += g.Requests
		calls += g.Calls
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
}

// BenchmarkRead20Sequential reads 20 messages one after the other, as a plain loop with await
// does: a round trip and a service time each, where concurrent reads share them.
func BenchmarkRead20Sequential(b *testing.B) {
	e, ids := benchEmulator(b, 20)
	measure(b, e, func(ctx context.Context, mb *mailbox) {
		for _, id := range ids {
			if _, err := mb.Read(ctx, id, providers.ReadOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkList500Plain pages with Graph's default page size (10) and no $select, as a naive
// client does: 50 calls where costbench's "list 500 summaries" makes one.
func BenchmarkList500Plain(b *testing.B) {
	e, _ := benchEmulator(b, 500)
	measure(b, e, func(ctx context.Context, mb *mailbox) {
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
		if n != 500 {
			b.Fatal(n)
		}
	})
}

// waitBench runs wait b.N times with a message delivered one second after the call, and
// reports how long after the delivery the message was found and the delta polls made.
func waitBench(b *testing.B, wait func(ctx context.Context, mb *mailbox, subject string)) {
	e, _ := benchEmulator(b, 50)
	var late time.Duration
	i := 0
	measure(b, e, func(ctx context.Context, mb *mailbox) {
		i++
		subject := fmt.Sprintf("Arrives later %d", i)
		delivered := make(chan time.Time, 1)
		go func() {
			time.Sleep(time.Second)
			e.insert(b, subject, "late@example.net", time.Now())
			delivered <- time.Now()
		}()
		wait(ctx, mb, subject)
		late += time.Since(<-delivered)
	})
	b.ReportMetric(float64(late.Milliseconds())/float64(b.N), "ms-after-delivery")
}

func BenchmarkWaitFor(b *testing.B) {
	waitBench(b, func(ctx context.Context, mb *mailbox, subject string) {
		if _, err := mb.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: subject}}, providers.WaitOptions{Interval: time.Second, Timeout: 10 * time.Second}); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkWaitForPlain re-lists the inbox every interval, as a naive client does.
func BenchmarkWaitForPlain(b *testing.B) {
	waitBench(b, func(ctx context.Context, mb *mailbox, subject string) {
		for {
			resp, err := mb.do(ctx, op{"list", "Mail.Read"}, http.MethodGet, mb.userRel+"/mailFolders/inbox/messages?$top=50&$select=subject&$filter="+url.QueryEscape("subject eq '"+subject+"'"), nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), subject) {
				return
			}
			time.Sleep(time.Second)
		}
	})
}
