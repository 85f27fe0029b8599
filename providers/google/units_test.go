package google

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator/gmail"
	"github.com/mailscript/mailscript/providers"
)

// TestUnitsOf checks the route table against the documented cost of each method.
func TestUnitsOf(t *testing.T) {
	tests := []struct {
		verb, url string
		method    string
		units     int
	}{
		{"GET", "https://gmail.googleapis.com/gmail/v1/users/me/profile", "getProfile", 1},
		{"GET", "https://gmail.googleapis.com/gmail/v1/users/me/history?startHistoryId=9", "history.list", 2},
		{"GET", "https://gmail.googleapis.com/gmail/v1/users/me/labels", "labels.list", 1},
		{"GET", "https://gmail.googleapis.com/gmail/v1/users/me/labels/Label_3", "labels.get", 1},
		{"GET", "https://gmail.googleapis.com/gmail/v1/users/me/messages?maxResults=500", "messages.list", 5},
		{"GET", "https://gmail.googleapis.com/gmail/v1/users/me/messages/18c2?format=metadata", "messages.get", 5},
		{"GET", "https://gmail.googleapis.com/gmail/v1/users/qa%40example.com/messages/18c2/attachments/ANGj", "messages.attachments.get", 5},
		{"POST", "https://gmail.googleapis.com/gmail/v1/users/me/messages/18c2/modify", "messages.modify", 5},
		{"POST", "https://gmail.googleapis.com/gmail/v1/users/me/messages/18c2/trash", "messages.trash", 5},
		{"DELETE", "https://gmail.googleapis.com/gmail/v1/users/me/messages/18c2", "messages.delete", 10},
		{"POST", "https://gmail.googleapis.com/gmail/v1/users/me/messages/send", "messages.send", 100},
		{"POST", "https://gmail.googleapis.com/upload/gmail/v1/users/me/messages/send?uploadType=multipart", "messages.send", 100},
		{"POST", "https://gmail.googleapis.com/upload/gmail/v1/users/me/messages/send?uploadType=resumable", "messages.send", 100},
		{"POST", "https://gmail.googleapis.com/upload/gmail/v1/users/me/messages/send?uploadType=resumable&upload_id=xa9", "messages.send", 0},
		{"POST", "https://proxy.example.com/google/gmail/v1/users/me/messages/18c2/trash", "messages.trash", 5},
		{"POST", "https://gmail.googleapis.com/gmail/v1/users/me/messages/18c2/untrash", "", unknownUnits},
		{"POST", "https://gmail.googleapis.com/batch/gmail/v1", "", unknownUnits},
	}
	for _, tt := range tests {
		r, err := http.NewRequest(tt.verb, tt.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := methodOf(r.Method, r.URL.Path); got != tt.method {
			t.Errorf("%s %s is method %q, want %q", tt.verb, tt.url, got, tt.method)
		}
		if got := unitsOf(r); got != tt.units {
			t.Errorf("%s %s costs %d units, want %d", tt.verb, tt.url, got, tt.units)
		}
	}
	r, _ := http.NewRequestWithContext(withUnits(context.Background(), 250), "POST", "https://gmail.googleapis.com/batch/gmail/v1", nil)
	if got := unitsOf(r); got != 250 {
		t.Errorf("a batch of 50 gets costs %d units, want 250", got)
	}
}

func withAttachment(subject string) []byte {
	return []byte("From: a@example.org\r\nTo: " + qaUser + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
		"--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=a.bin\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString([]byte("0123456789")) + "\r\n--b1--\r\n")
}

// TestQuotaCharges runs every operation against the emulator on a clock that stands still
// and checks what each one charged: the documented units of its calls, batch parts included.
// It also checks that every request the provider made has a known cost.
func TestQuotaCharges(t *testing.T) {
	e := newEmu(t, emuOptions{})
	ctx := context.Background()
	qa := e.connect(qaUser, providers.Options{"scopes": []any{ScopeModify, ScopeFull}})
	q := qa.client.Transport.(*authTransport).quota
	for i := range 3 {
		e.insert(qaUser, rawMail("a@example.org", qaUser, fmt.Sprintf("charge %d", i), "x"), noOpts)
	}
	attID := e.insert(qaUser, withAttachment("with attachment"), noOpts)
	ids := make([]string, 4)
	for i := range 4 {
		ids[i] = e.insert(qaUser, rawMail("a@example.org", qaUser, fmt.Sprintf("target %d", i), "x"), noOpts)
	}
	folders, err := qa.Folders(ctx) // also fills the label cache, which later calls use
	if err != nil {
		t.Fatal(err)
	}
	var att *providers.Attachment
	tests := []struct {
		name  string
		op    func() error
		units float64
	}{
		{"folders: labels.list and a batch of labels.get", func() error { _, err := qa.Folders(ctx); return err }, 1 + float64(len(folders))},
		// The one multipart/mixed message is read in full to tell whether it has an attachment.
		{"list 8: messages.list, a batch of 8 gets and a full get", func() error { _, err := qa.List(ctx, providers.Criteria{}); return err }, 5 + 8*5 + 5},
		{"read", func() error { _, err := qa.Read(ctx, ids[0], providers.ReadOptions{}); return err }, 5},
		{"read raw", func() error { _, err := qa.Read(ctx, ids[0], providers.ReadOptions{Raw: true}); return err }, 5},
		{"read with an attachment", func() error {
			msg, err := qa.Read(ctx, attID, providers.ReadOptions{})
			if err == nil && len(msg.Attachments) == 1 {
				att = &msg.Attachments[0]
			}
			return err
		}, 5},
		{"attachment bytes", func() error {
			if att == nil {
				return errors.New("no attachment")
			}
			_, err := att.Content(ctx)
			return err
		}, 5},
		{"mark read", func() error { return qa.MarkRead(ctx, ids[0], true) }, 5},
		{"move to the archive", func() error { _, err := qa.Move(ctx, ids[1], "archive"); return err }, 5},
		{"delete to the trash", func() error { _, err := qa.Delete(ctx, ids[2], providers.DeleteOptions{}); return err }, 5},
		{"delete for good", func() error { _, err := qa.Delete(ctx, ids[3], providers.DeleteOptions{Permanent: true}); return err }, 10},
		{"send", func() error {
			_, err := qa.Send(ctx, providers.Draft{To: []providers.Address{{Address: devUser}}, Subject: "s", Text: "x"})
			return err
		}, 100},
		{"send resumable: the chunks are one send", func() error {
			_, err := qa.Send(ctx, providers.Draft{To: []providers.Address{{Address: devUser}}, Subject: "big",
				Attachments: []providers.DraftAttachment{{Name: "a.bin", Content: make([]byte, 6<<20)}}})
			return err
		}, 100},
		{"waitFor with one poll: getProfile, the catch-up search (of an empty folder) and history.list", func() error {
			_, err := qa.WaitFor(ctx, providers.Criteria{Folder: "junk", Subject: providers.Matcher{Contains: "never"}},
				providers.WaitOptions{Timeout: time.Millisecond, Interval: time.Millisecond})
			if providers.CodeOf(err) == providers.Timeout {
				return nil
			}
			return err
		}, 1 + 5 + 2},
	}
	e.log()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q.useClock(newFakeClock())
			if err := tt.op(); err != nil {
				t.Fatal(err)
			}
			if got := q.charged(); got != tt.units {
				t.Errorf("charged %v units, want %v", got, tt.units)
			}
		})
	}
	for _, r := range e.log() {
		verb, path, _ := strings.Cut(r, " ")
		if path != gmail.TokenPath && !strings.HasSuffix(path, "/batch/gmail/v1") && methodOf(verb, path) == "" {
			t.Errorf("%s has no known quota cost: add its method to routes and methodUnits", r)
		}
	}
}

// TestQuotaWaitCancelled: a request waiting for quota gives up with its context, sends
// nothing and frees its concurrency slot.
func TestQuotaWaitCancelled(t *testing.T) {
	e := newEmu(t, emuOptions{})
	qa := e.connect(qaUser, nil)
	tr := qa.client.Transport.(*authTransport)
	c := newFakeClock()
	tr.quota.useClock(c)
	if err := tr.quota.take(context.Background(), 2500); err != nil {
		t.Fatal(err)
	}
	c.block = true
	e.log()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- qa.MarkRead(ctx, "18c2", true) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("markRead = %v, want context.Canceled", err)
	}
	if got := e.log(); len(got) != 0 {
		t.Errorf("requests sent while waiting for quota: %q", got)
	}
	if n := len(tr.slots); n != 0 {
		t.Errorf("%d concurrency slots still held", n)
	}
}
