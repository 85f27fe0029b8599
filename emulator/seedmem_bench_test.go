package emulator

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writeSeedDir fills dir with about total bytes of .eml files in the shape named, split over
// a Microsoft and a Google mailbox, and returns the bytes and files written.
func writeSeedDir(tb testing.TB, dir, shape string, total int) (int, int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("order invoice shipped the a report meeting tomorrow budget review quarterly draft")
	text := func(n int) string {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(words[rng.IntN(len(words))])
			if b.Len()%76 < 8 {
				b.WriteString("\r\n")
			} else {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	written, i := 0, 0
	for ; written < total; i++ {
		mb := []string{"qa-inbox@contoso.com", "qa@example.com"}[i%2]
		var raw string
		head := fmt.Sprintf("From: shop@example.net\r\nTo: %s\r\nSubject: Order %d\r\nMessage-ID: <m%d@example.net>\r\nMIME-Version: 1.0\r\n", mb, i, i)
		switch shape {
		case "small":
			raw = head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text(2<<10)
		case "text":
			raw = head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text(20<<10)
		case "attachments":
			data := make([]byte, 400<<10)
			for j := range data {
				data[j] = byte(rng.Uint32())
			}
			b64 := base64.StdEncoding.EncodeToString(data)
			var folded strings.Builder
			for len(b64) > 76 {
				folded.WriteString(b64[:76] + "\r\n")
				b64 = b64[76:]
			}
			folded.WriteString(b64)
			raw = head + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: multipart/alternative; boundary=b2\r\n\r\n" +
				"--b2\r\nContent-Type: text/plain\r\n\r\n" + text(2<<10) + "\r\n--b2\r\nContent-Type: text/html\r\n\r\n<p>" + text(4<<10) + "</p>\r\n--b2--\r\n" +
				"--b1\r\nContent-Type: application/pdf; name=r.pdf\r\nContent-Disposition: attachment; filename=r.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				folded.String() + "\r\n--b1--\r\n"
		}
		sub := filepath.Join(dir, mb)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%05d.eml", i)), []byte(raw), 0o644); err != nil {
			tb.Fatal(err)
		}
		written += len(raw)
	}
	return written, i
}

func memStats() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms
}

// BenchmarkSeedMemory starts the emulator on a ~50 MB seed directory of each shape and prints
// the heap the seeded store keeps per MB of mail (what stays after start, garbage collected).
// Run with -benchtime=1x; -memprofile shows where it goes.
func BenchmarkSeedMemory(b *testing.B) {
	const total = 50 << 20
	rows := []string{fmt.Sprintf("%-12s %6s %8s %8s %10s %10s %8s", "shape", "mails", "mail MB", "heap MB", "heap/mail", "alloc/mail", "sys MB")}
	for _, shape := range []string{"small", "text", "attachments"} {
		b.Run(shape, func(b *testing.B) {
			dir := b.TempDir()
			mail, n := writeSeedDir(b, dir, shape, total)
			var row string
			var ratio float64
			for b.Loop() {
				before := memStats()
				s, err := Start(context.Background(), Config{SeedDir: dir, KeyDir: b.TempDir()})
				if err != nil {
					b.Fatal(err)
				}
				after := memStats()
				heap := float64(after.HeapInuse - before.HeapInuse)
				ratio = heap / float64(mail)
				row = fmt.Sprintf("%-12s %6d %8.1f %8.1f %10.2f %10.2f %8.0f", shape, n, float64(mail)/(1<<20), heap/(1<<20), ratio,
					float64(after.TotalAlloc-before.TotalAlloc)/float64(mail), float64(after.Sys)/(1<<20))
				runtime.KeepAlive(s)
				s.Close()
			}
			rows = append(rows, row)
			b.ReportMetric(ratio, "heapMB/mailMB")
		})
	}
	fmt.Println(strings.Join(rows, "\n"))
}
