package costbench

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
	"github.com/mailscript/mailscript/providers/google"
	"github.com/mailscript/mailscript/providers/microsoft365"
)

// side is one provider under test: its emulator face, its mailbox and how to connect to it.
type side struct {
	name, face, mailbox, to string
	connect                 func(env func(string) string) (providers.Mailbox, error)
	// limit is the least time the cost model allows for an operation of the given number of
	// calls costing the given Gmail units (see physical).
	limit func(f emulator.Faults, calls, units int) time.Duration
}

var sides = []side{
	{"microsoft365", "graph", "qa-inbox@contoso.com", "alex@contoso.com", func(env func(string) string) (providers.Mailbox, error) {
		return microsoft365.Connect(providers.Options{"mailbox": "qa-inbox@contoso.com"}, env, providers.NewShared(nil))
	}, func(f emulator.Faults, calls, _ int) time.Duration {
		// Graph: calls run GraphConcurrency at a time, each for ServiceTime, after one
		// round trip.
		return time.Duration(math.Ceil(float64(calls)/float64(f.GraphConcurrency)))*f.ServiceTime + f.Latency
	}},
	{"google", "gmail", "qa@example.com", "sam@example.com", func(env func(string) string) (providers.Mailbox, error) {
		return google.Connect(providers.Options{"user": "qa@example.com"}, env, providers.NewShared(nil))
	}, func(f emulator.Faults, calls, units int) time.Duration {
		// Gmail: units beyond the 10-second burst at the quota rate, or one round trip per
		// GmailConcurrency calls, whichever is longer.
		quota := time.Duration(float64(max(0, units-f.GmailQuotaRate*10)) / float64(f.GmailQuotaRate) * float64(time.Second))
		trips := time.Duration(math.Ceil(float64(calls)/float64(f.GmailConcurrency))) * f.Latency
		return max(quota, trips)
	}},
}

// op is one measured operation: what it costs at the least on each service, and how to run it.
type op struct {
	name   string
	seed   int
	graph  int // the fewest Graph calls that do it
	gcalls int // the fewest Gmail calls
	gunits int // their Gmail quota units
	run    func(ctx context.Context, mb providers.Mailbox, ids []string, to string) error
}

var ops = []op{
	// 200 messages.get or GET /messages/{id}.
	{"read 200 (concurrent)", 200, 200, 200, 200 * 5, func(ctx context.Context, mb providers.Mailbox, ids []string, _ string) error {
		return parallel(len(ids), func(i int) error { _, err := mb.Read(ctx, ids[i], providers.ReadOptions{}); return err })
	}},
	// Graph: one page of 500 ($top up to 1000). Gmail: one messages.list page of 500, then a
	// metadata get per message.
	{"list 500 summaries", 500, 1, 501, 5 + 500*5, func(ctx context.Context, mb providers.Mailbox, _ []string, _ string) error {
		got, err := mb.List(ctx, providers.Criteria{Limit: 500})
		if err == nil && len(got) != 500 {
			err = fmt.Errorf("listed %d", len(got))
		}
		return err
	}},
	// 50 sendMail or messages.send (100 units each).
	{"send 50 (burst)", 0, 50, 50, 50 * 100, func(ctx context.Context, mb providers.Mailbox, _ []string, to string) error {
		return parallel(50, func(i int) error {
			_, err := mb.Send(ctx, providers.Draft{To: []providers.Address{{Address: to}}, Subject: fmt.Sprintf("burst %d", i), Text: "hello"})
			return err
		})
	}},
}

func parallel(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f(i) }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkRealistic runs each operation once per provider on a fresh emulator under the
// --realistic preset and prints the table of issue 13. Run it with
//
//	go test ./providers/costbench -run '^$' -bench Realistic -benchtime 1x
func BenchmarkRealistic(b *testing.B) {
	model := emulator.Realistic()
	var out strings.Builder
	tw := tabwriter.NewWriter(&out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "provider\toperation\ttime\trequests\tcalls\tlimit\tratio\t429s\t")
	for b.Loop() {
		for _, s := range sides {
			for _, o := range ops {
				took, tot := runOnce(b, s, o, model)
				calls, units := o.graph, 0
				if s.face == "gmail" {
					calls, units = o.gcalls, o.gunits
				}
				limit := s.limit(model, calls, units)
				fmt.Fprintf(tw, "%s\t%s\t%v\t%d\t%d\t%v\t%.2f\t%d\t\n", s.name, o.name, took.Round(time.Millisecond), tot.Requests, tot.Calls,
					limit.Round(time.Millisecond), took.Seconds()/limit.Seconds(), tot.Throttled)
			}
		}
	}
	_ = tw.Flush()
	fmt.Fprintf(os.Stdout, "\n--realistic: latency %v, service time %v, graph concurrency %d, %d Graph calls/10 min, Gmail %d units/s (10 s burst), gmail concurrency %d\n%s",
		model.Latency, model.ServiceTime, model.GraphConcurrency, model.GraphRequestLimit, model.GmailQuotaRate, model.GmailConcurrency, out.String())
}

// runOnce seeds a fresh emulator, turns the model on, connects (token fetched untimed) and
// times one run of o, returning the face's totals for it.
func runOnce(b *testing.B, s side, o op, model emulator.Faults) (time.Duration, emulator.Totals) {
	b.StopTimer()
	defer b.StartTimer()
	ctx := context.Background()
	srv, err := emulator.Start(ctx, emulator.Config{KeyDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ids := make([]string, o.seed)
	base := time.Now().Add(-time.Hour)
	for i := range ids {
		raw := fmt.Sprintf("From: bench@example.net\r\nTo: %s\r\nSubject: bench %04d\r\nDate: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello %d https://example.com/%d\r\n",
			s.mailbox, i, base.Add(time.Duration(i)*time.Second).Format(time.RFC1123Z), i, i)
		m, err := srv.Store().Insert(s.mailbox, []byte(raw), store.InsertOptions{ReceivedAt: base.Add(time.Duration(i) * time.Second)})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = m.ID
	}
	env := srv.Env()
	mb, err := s.connect(func(k string) string { return env[k] })
	if err != nil {
		b.Fatal(err)
	}
	// A first call signs in and finds the inbox, as a script's first operation would, before
	// the model is on and the clock runs.
	if _, err := mb.List(ctx, providers.Criteria{Limit: 1}); err != nil {
		b.Fatal(err)
	}
	if s.face == "gmail" {
		// The Google provider paces itself by a process-wide bucket per user, which the
		// previous operation drained; let it refill, as the fresh emulator's has.
		time.Sleep(10 * time.Second)
	}
	if err := srv.SetFaults(model); err != nil {
		b.Fatal(err)
	}
	srv.ResetCounts()
	began := time.Now()
	if err := o.run(ctx, mb, ids, s.to); err != nil {
		b.Errorf("%s %s: %v", s.name, o.name, err)
	}
	return time.Since(began), srv.Totals()[s.face]
}
