package emulator

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// BenchmarkEvents: what the viewer's live list costs. On a store of 10,000 messages, more are
// inserted with 0, 1 and 8 viewers holding the event stream open: 5,000 as fast as one
// goroutine can (a burst far beyond SMTP's rate), then 1,000 paced at 500 a second (about what the
// SMTP ingest benchmark sustains). It prints the insert rate (do open viewers slow the
// store?) and, per event a viewer read, the time from the start of its Insert to the event's
// arrival, with the resyncs sent to viewers that fell behind and re-read the list instead.
func BenchmarkEvents(b *testing.B) {
	const seed, burst, paced = 10_000, 5_000, 1_000
	type row struct {
		pace                     string
		viewers, events, resyncs int
		rate                     float64
		lat                      []time.Duration
	}
	var rows []row
	for b.Loop() {
		rows = rows[:0]
		for _, c := range []struct {
			pace    string
			every   time.Duration
			viewers int
			count   int
		}{{"burst", 0, 0, burst}, {"burst", 0, 1, burst}, {"burst", 0, 8, burst}, {"500/s", 2 * time.Millisecond, 1, paced}, {"500/s", 2 * time.Millisecond, 8, paced}} {
			viewers := c.viewers
			s, err := Start(context.Background(), Config{KeyDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			box := s.Env()["MAILSCRIPT_M365_MAILBOX"]
			for i := range seed {
				if _, err := s.Store().Insert(box, benchMail(box, "seed", i), store.InsertOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			var mu sync.Mutex
			var arrived []arrival // each viewer's change events, matched with the inserts at the end
			r := row{pace: c.pace, viewers: viewers}
			var wg sync.WaitGroup
			ctx, cancel := context.WithCancel(context.Background())
			for range viewers {
				lines := openBenchEvents(b, ctx, s)
				wg.Go(func() {
					var mine []arrival
					resyncs := 0
					for data := range lines {
						if data == "" {
							resyncs++
							continue
						}
						now := time.Now()
						var e store.Event
						if json.Unmarshal([]byte(data), &e) == nil && e.Kind == "messageAdded" {
							mine = append(mine, arrival{e.MessageID, now})
						}
					}
					mu.Lock()
					arrived = append(arrived, mine...)
					r.resyncs += resyncs
					mu.Unlock()
				})
			}
			n := c.count
			began := make(map[string]time.Time, n) // message id -> the start of its Insert
			runtime.GC()
			start := time.Now()
			for i := range n {
				if c.every > 0 {
					time.Sleep(time.Until(start.Add(time.Duration(i) * c.every)))
				}
				raw := benchMail(box, "burst", i)
				t := time.Now()
				m, err := s.Store().Insert(box, raw, store.InsertOptions{})
				if err != nil {
					b.Fatal(err)
				}
				began[m.ID] = t
			}
			r.rate = float64(n) / time.Since(start).Seconds()
			time.Sleep(200 * time.Millisecond) // the last events on their way
			cancel()
			wg.Wait()
			for _, a := range arrived {
				if t, ok := began[a.id]; ok {
					r.lat = append(r.lat, a.at.Sub(t))
					r.events++
				}
			}
			s.Close()
			rows = append(rows, r)
		}
	}
	fmt.Fprintf(os.Stdout, "\nevents: %d inserts at once or %d at 500/s on a store of %d messages; latency from Insert to the event read\n%6s %8s %10s %8s %8s %9s %9s %9s\n", burst, paced, seed, "pace", "viewers", "inserts/s", "events", "resyncs", "p50", "p99", "max")
	for _, r := range rows {
		slices.Sort(r.lat)
		q := func(p float64) string {
			if len(r.lat) == 0 {
				return "-"
			}
			return r.lat[int(p*float64(len(r.lat)-1))].Round(time.Microsecond).String()
		}
		fmt.Fprintf(os.Stdout, "%6s %8d %10.0f %8d %8d %9s %9s %9s\n", r.pace, r.viewers, r.rate, r.events, r.resyncs, q(0.5), q(0.99), q(1))
	}
}

func benchMail(to, kind string, i int) []byte {
	return fmt.Appendf(nil, "From: app@shop.example\r\nTo: %s\r\nSubject: %s %d\r\nContent-Type: text/plain\r\n\r\nHello %d\r\n", to, kind, i, i)
}

type arrival struct {
	id string
	at time.Time
}

// openBenchEvents opens the event stream and sends each change event's data on the channel it
// returns, "" for a resync; the channel closes when ctx ends.
func openBenchEvents(b *testing.B, ctx context.Context, s *Server) <-chan string {
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/_emulator/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET /_emulator/events: %v %v", resp, err)
	}
	out := make(chan string, 4096)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
				if event == "resync" {
					out <- ""
				}
			case strings.HasPrefix(line, "data: ") && event == "change":
				out <- strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return out
}
