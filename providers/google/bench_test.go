package google

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	gmailapi "google.golang.org/api/gmail/v1"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/emulatortest"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

// These benchmarks compare what the provider does with the plain approaches, and time what
// providers/costbench does not (reads one at a time, a sustained loop, waitFor); costbench's
// BenchmarkRealistic times 200 concurrent reads, 500 summaries and a send burst against the
// model's limits.

// benchEmu starts the emulator with n extra messages in qa@example.com, then turns on the
// --realistic cost model (25 ms round trips, 250 quota units/s with a 10 s burst, 50 calls in
// progress). It returns the mailbox and the ids of the n newest messages.
func benchEmu(b *testing.B, n int) (*emulator.Server, *mailbox, []string) {
	srv := emulatortest.New(b)
	for i := range n {
		if _, err := srv.Store().Insert(qaUser, rawMail("a@example.org", qaUser, fmt.Sprintf("bench %03d", i), "body https://example.com/"+fmt.Sprint(i)), store.InsertOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	env := srv.Env()
	mb, err := Connect(providers.Options{"user": qaUser}, func(k string) string { return env[k] }, providers.NewShared(nil))
	if err != nil {
		b.Fatal(err)
	}
	qa := mb.(*mailbox)
	all, err := qa.List(context.Background(), providers.Criteria{Limit: n})
	if err != nil || len(all) != n {
		b.Fatalf("seeding: %d, %v", len(all), err)
	}
	ids := make([]string, n)
	for i, s := range all {
		ids[i] = s.ID
	}
	if err := srv.SetFaults(emulator.Realistic()); err != nil {
		b.Fatal(err)
	}
	return srv, qa, ids
}

// rest waits out the quota's burst window with the timer stopped, so that both buckets (the
// provider's and the emulator's) are full again: each timed operation starts the way a
// script's operation does after a pause. BenchmarkList500Sustained shows what a loop that
// never pauses gets instead.
func rest(b *testing.B) {
	b.StopTimer()
	time.Sleep(burstWindow)
	b.StartTimer()
}

// insertLater delivers a message to qa@example.com after d.
func insertLater(b *testing.B, srv *emulator.Server, d time.Duration, subject string) {
	go func() {
		time.Sleep(d)
		if _, err := srv.Store().Insert(qaUser, rawMail("a@example.org", qaUser, subject, "x"), store.InsertOptions{}); err != nil {
			b.Error(err)
		}
	}()
}

// BenchmarkList500Sequential is the plain approach: messages.list, then one metadata get per
// message, one after the other.
func BenchmarkList500Sequential(b *testing.B) {
	_, qa, _ := benchEmu(b, 500)
	ctx := context.Background()
	for b.Loop() {
		rest(b)
		page, err := qa.svc.Users.Messages.List(me).MaxResults(500).LabelIds("INBOX").Context(ctx).Do()
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range page.Messages {
			if _, err := qa.svc.Users.Messages.Get(me, m.Id).Format("metadata").MetadataHeaders(summaryHeaders...).Context(ctx).Do(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkList500ParallelGets is the alternative to batches: metadata gets, maxConcurrent
// at a time (the per-user bound).
func BenchmarkList500ParallelGets(b *testing.B) {
	_, qa, _ := benchEmu(b, 500)
	ctx := context.Background()
	for b.Loop() {
		rest(b)
		page, err := qa.svc.Users.Messages.List(me).MaxResults(500).LabelIds("INBOX").Context(ctx).Do()
		if err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, m := range page.Messages {
			wg.Go(func() {
				if _, err := qa.svc.Users.Messages.Get(me, m.Id).Format("metadata").MetadataHeaders(summaryHeaders...).Context(ctx).Do(); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
}

// BenchmarkList500Sustained lists 500 summaries over and over without a pause, and reports
// the quota units per second the emulator received, by the documented cost of each call it
// counted (batch parts on their own routes): the limiter holds it to the sustained 250. Slow
// by design: about 10 s per operation.
func BenchmarkList500Sustained(b *testing.B) {
	srv, qa, _ := benchEmu(b, 500)
	srv.ResetCounts()
	for b.Loop() {
		got, err := qa.List(context.Background(), providers.Criteria{Limit: 500})
		if err != nil || len(got) != 500 {
			b.Fatal(len(got), err)
		}
	}
	units := 0
	for route, n := range srv.Counts() {
		if verb, path, ok := strings.Cut(strings.TrimPrefix(route, "gmail "), " "); ok {
			if u, known := methodUnits[methodOf(verb, path)]; known {
				units += u * int(n)
			}
		}
	}
	b.ReportMetric(float64(units)/b.Elapsed().Seconds(), "units/s")
}

// BenchmarkRead200Sequential reads the same messages one await at a time.
func BenchmarkRead200Sequential(b *testing.B) {
	_, qa, ids := benchEmu(b, 200)
	for b.Loop() {
		rest(b)
		for _, id := range ids {
			if _, err := qa.Read(context.Background(), id, providers.ReadOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkWaitFor measures waitFor on a message delivered 1 s after the call, polling every
// second, and reports the requests made per poll.
func BenchmarkWaitFor(b *testing.B) {
	srv, qa, _ := benchEmu(b, 50)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		subject := fmt.Sprintf("arrives later %d", i)
		insertLater(b, srv, time.Second, subject)
		srv.ResetCounts()
		msg, err := qa.WaitFor(ctx, providers.Criteria{Subject: providers.Matcher{Contains: subject}}, providers.WaitOptions{Timeout: 10 * time.Second, Interval: time.Second})
		if err != nil || msg.Subject != subject {
			b.Fatal(msg, err)
		}
		b.ReportMetric(float64(srv.Counts()["gmail GET /gmail/v1/users/{user}/history"]), "history-calls/op")
		b.ReportMetric(float64(total(srv.Counts())), "requests/op")
	}
}

// BenchmarkWaitForRelisting is the plain approach: every second, list the newest messages and
// fetch the summaries of those not seen before.
func BenchmarkWaitForRelisting(b *testing.B) {
	srv, qa, _ := benchEmu(b, 50)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		subject := fmt.Sprintf("arrives later %d", i)
		insertLater(b, srv, time.Second, subject)
		srv.ResetCounts()
		seen := map[string]bool{}
		first := true
		for found := false; !found; first = false {
			if !first {
				time.Sleep(time.Second)
			}
			page, err := qa.svc.Users.Messages.List(me).MaxResults(50).LabelIds("INBOX").Context(ctx).Do()
			if err != nil {
				b.Fatal(err)
			}
			for _, m := range page.Messages {
				if seen[m.Id] {
					continue
				}
				seen[m.Id] = true
				if first {
					continue
				}
				g, err := qa.svc.Users.Messages.Get(me, m.Id).Format("metadata").MetadataHeaders("Subject").Context(ctx).Do()
				if err != nil {
					b.Fatal(err)
				}
				found = found || subjectOf(g) == subject
			}
		}
		b.ReportMetric(float64(total(srv.Counts())), "requests/op")
	}
}

func subjectOf(g *gmailapi.Message) string {
	for _, h := range g.Payload.Headers {
		if h.Name == "Subject" {
			return h.Value
		}
	}
	return ""
}

func total(counts map[string]int64) int64 {
	var n int64
	for k, v := range counts {
		if !strings.Contains(k, "token") {
			n += v
		}
	}
	return n
}
