package google

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
	"github.com/mailscript/mailscript/providers"
)

func TestReadMIME(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	tests := []struct {
		file    string
		subject string
		from    string
		text    string
		html    string
		atts    []string // name/contentType/inline
	}{
		{"nested.eml", "Résumé du mois ✓", "Renée Dupré", "Café — visit https://example.com/plain", `<a href="https://example.com/reset?token=a&amp;b=1">`,
			[]string{"attachment/image/png/true", "résumé.pdf/application/pdf/false"}},
		{"latin1.eml", "Grüße aus Köln", "François", "Grüße aus Köln, ça va?", "", nil},
		{"sjis.eml", "会議のお知らせ", "山田太郎", "こんにちは、世界。", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			id := e.insert(qaUser, raw, noOpts)
			for _, format := range []providers.ReadOptions{{}, {Raw: true}} {
				msg, err := qa.Read(ctx, id, format)
				if err != nil {
					t.Fatal(err)
				}
				if msg.Subject != tt.subject || msg.From.Name != tt.from || !strings.Contains(msg.Text, tt.text) || !strings.Contains(msg.HTML, tt.html) {
					t.Errorf("raw=%v: read = %q %q text %q html %q", format.Raw, msg.Subject, msg.From.Name, msg.Text, msg.HTML)
				}
				var atts []string
				for _, a := range msg.Attachments {
					atts = append(atts, fmt.Sprintf("%s/%s/%v", a.Name, a.ContentType, a.Inline))
					b, err := a.Content(ctx)
					if err != nil || int64(len(b)) != a.Size {
						t.Errorf("raw=%v: attachment %s: %d bytes (size %d), %v", format.Raw, a.Name, len(b), a.Size, err)
					}
				}
				if !slices.Equal(atts, tt.atts) {
					t.Errorf("raw=%v: attachments = %q, want %q", format.Raw, atts, tt.atts)
				}
				if (len(tt.atts) > 0) != msg.HasAttachments {
					t.Errorf("raw=%v: hasAttachments = %v", format.Raw, msg.HasAttachments)
				}
			}
			summaries, err := qa.List(ctx, providers.Criteria{Subject: providers.Matcher{Contains: tt.subject}})
			if err != nil || len(summaries) != 1 || summaries[0].HasAttachments != (len(tt.atts) > 0) || summaries[0].Subject != tt.subject {
				t.Errorf("list = %+v, %v", summaries, err)
			}
		})
	}
}

func TestListPaging(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, nil)
	base := time.Now().Add(-time.Hour)
	for i := range 620 {
		subject := fmt.Sprintf("bulk %03d", i)
		if i%100 == 7 {
			subject = fmt.Sprintf("special %03d", i)
		}
		e.insert(qaUser, rawMail("a@example.org", qaUser, subject, "x"), store.InsertOptions{ReceivedAt: base.Add(time.Duration(i) * time.Second)})
	}
	// 6,220 units (two listings of 620 summaries) are more than the bucket holds: on virtual
	// time the test shows the pacing instead of waiting 15 s for it.
	c := newFakeClock()
	qa.client.Transport.(*authTransport).quota.useClock(c)
	start := c.now()
	e.log()
	all, err := qa.List(ctx, providers.Criteria{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 620 || all[0].Subject != "bulk 619" || all[619].Subject != "bulk 000" {
		t.Fatalf("listed %d, first %q last %q", len(all), all[0].Subject, all[len(all)-1].Subject)
	}
	lists, batches := 0, 0
	for _, r := range e.log() {
		switch {
		case strings.HasSuffix(r, "/messages"):
			lists++
		case strings.HasSuffix(r, "/batch/gmail/v1"):
			batches++
		}
	}
	// Pages of 500, each summarised in one go (the limit wants them all), in batches as large as
	// the budget of 50 calls in progress: 620 = 10×50 + (50+50+20).
	if lists != 2 || batches != 13 {
		t.Errorf("%d list pages and %d batches, want 2 and 13", lists, batches)
	}
	// A client-side-only criterion (regexp without literal) still pages until enough match.
	special, err := qa.List(ctx, providers.Criteria{Subject: providers.Matcher{Regexp: regexpOf(`^special`)}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(special) != 7 || special[0].Subject != "special 607" {
		t.Errorf("special = %d, first %+v", len(special), special)
	}
	// Each listing: 2 messages.list and 620 messages.get at 5 units, 2,500 from the burst.
	want := time.Duration(float64(2*(2*5+620*5)-2500) / 250 * float64(time.Second))
	if got := c.now().Sub(start); got < want || got > want+time.Millisecond {
		t.Errorf("the listings took %v of quota time, want %v at 250 units/s", got, want)
	}
}

// TestReadsOfOneIDShareAFetch: reads of the same message at once share one call, which goes
// as a plain GET (a batch of one would only add the envelope), and each gets the message.
func TestReadsOfOneIDShareAFetch(t *testing.T) {
	t.Parallel()
	e := newEmu(t, emuOptions{})
	qa := e.connect(qaUser, nil)
	id := e.insert(qaUser, rawMail("a@example.org", qaUser, "read ten times", "x"), store.InsertOptions{})
	if _, err := qa.listLabels(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	e.log()
	// The answer is held back long enough for every read to have joined the fetch.
	e.intercept = func(http.ResponseWriter, *http.Request) bool { time.Sleep(200 * time.Millisecond); return false }
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			msg, err := qa.Read(context.Background(), id, providers.ReadOptions{})
			if err != nil || msg.Subject != "read ten times" {
				t.Errorf("read: %v, %v", msg, err)
			}
		})
	}
	wg.Wait()
	if got := e.log(); len(got) != 1 || got[0] != "GET /gmail/v1/users/me/messages/"+id {
		t.Errorf("ten reads of one id sent %q, want one GET of it", got)
	}
}
