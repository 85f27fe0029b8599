package emulator

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// BenchmarkServerGet measures authenticated Gmail GETs through the whole server, middleware
// included: without faults, and with a mailbox limit high enough never to refuse (the slowest
// path: every request resolves its mailbox and takes a slot).
func BenchmarkServerGet(b *testing.B) {
	for _, bc := range []struct {
		name   string
		faults Faults
	}{{"no faults", Faults{}}, {"mailbox limit", Faults{GraphConcurrency: 1000, GmailConcurrency: 1000}}} {
		b.Run(bc.name, func(b *testing.B) {
			s, err := Start(context.Background(), Config{KeyDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			tok := gmailToken(b, s.Env())
			if err := s.SetFaults(bc.faults); err != nil {
				b.Fatal(err)
			}
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
			u := s.URL() + "/gmail/v1/users/me/profile"
			b.SetParallelism(4)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", u, nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					resp, err := c.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}
