//go:build unix

package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/smtp"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
)

// BenchmarkSMTPIngest sends 1,000 messages of 20 KB over 8 SMTP connections, half to a
// Microsoft mailbox and half to a Google one, and after every 10th message's DATA asks Graph
// or Gmail for it by subject, timing how long until the message is visible. Targets on a
// 2-core machine: above 500 messages/s, visible within 50 ms of the end of DATA.
func BenchmarkSMTPIngest(b *testing.B) {
	const messages, conns, size = 1000, 8, 20 << 10
	body := strings.Repeat(strings.Repeat("lorem ipsum ", 6)+"\r\n", size/74)
	for b.Loop() {
		s, err := Start(context.Background(), Config{KeyDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		env := s.Env()
		ms, gu := env["MAILSCRIPT_M365_MAILBOX"], env["MAILSCRIPT_GOOGLE_USER"]
		graphTok, gmailTok := graphToken(b, env), gmailToken(b, env)
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
		var mu sync.Mutex
		var graphLat, gmailLat []time.Duration
		var wg sync.WaitGroup
		cpu0 := cpuTime()
		start := time.Now()
		for c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl, err := smtp.Dial(s.SMTPAddr())
				if err != nil {
					b.Error(err)
					return
				}
				defer cl.Close()
				for i := c; i < messages; i += conns {
					to := []string{ms, gu}[i%2]
					subject := fmt.Sprintf("bench-%d", i)
					msg := "From: app@shop.example\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\n" + body
					if err := smtptest.Transact(cl, "app@shop.example", []string{to}, msg); err != nil {
						b.Error(err)
						return
					}
					if i%10 > 1 {
						continue
					}
					dataEnd := time.Now()
					if i%2 == 0 {
						visible(b, hc, env["MAILSCRIPT_GRAPH_URL"]+"/v1.0/users/"+ms+"/messages?"+url.Values{"$filter": {"subject eq '" + subject + "'"}, "$select": {"id"}}.Encode(), graphTok)
					} else {
						visible(b, hc, env["MAILSCRIPT_GMAIL_URL"]+"gmail/v1/users/me/messages?"+url.Values{"q": {"subject:" + subject}}.Encode(), gmailTok)
					}
					lat := time.Since(dataEnd)
					mu.Lock()
					if i%2 == 0 {
						graphLat = append(graphLat, lat)
					} else {
						gmailLat = append(gmailLat, lat)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		elapsed, cpu := time.Since(start), cpuTime()-cpu0
		s.Close()
		rate := float64(messages) / elapsed.Seconds()
		b.ReportMetric(rate, "msg/s")
		// The CPU time (client, server and the checks together) says what the rate would be
		// on an idle machine, where the wall clock says what it was on this one.
		fmt.Fprintf(os.Stdout, "\nSMTP ingest: %d messages of %d KB over %d connections in %v: %.0f msg/s (target > 500); CPU %v, %.0f µs per message\n",
			messages, size>>10, conns, elapsed.Round(time.Millisecond), rate, cpu.Round(time.Millisecond), float64(cpu.Microseconds())/messages)
		fmt.Fprintf(os.Stdout, "%-8s %8s %8s %8s %8s   (from the end of DATA to visible, target < 50ms)\n", "face", "checks", "p50", "p99", "max")
		for _, r := range []struct {
			face string
			lat  []time.Duration
		}{{"graph", graphLat}, {"gmail", gmailLat}} {
			slices.Sort(r.lat)
			if len(r.lat) == 0 {
				continue
			}
			q := func(p float64) time.Duration { return r.lat[int(p*float64(len(r.lat)-1))].Round(10 * time.Microsecond) }
			fmt.Fprintf(os.Stdout, "%-8s %8d %8v %8v %8v\n", r.face, len(r.lat), q(0.5), q(0.99), r.lat[len(r.lat)-1].Round(10*time.Microsecond))
		}
	}
}

// visible fails the benchmark unless the list at u finds exactly one message at once: the
// SMTP answer comes after the store has the message, so no polling is needed.
func visible(b *testing.B, hc *http.Client, u, token string) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	defer resp.Body.Close()
	var out struct {
		Value    []json.RawMessage `json:"value"`
		Messages []json.RawMessage `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Value)+len(out.Messages) != 1 {
		b.Errorf("GET %s: %d, %v: not visible", u, resp.StatusCode, err)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
