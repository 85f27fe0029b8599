package microsoft365

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

// folderLookups stands between a mailbox and the emulator and holds up or refuses its folder
// lookups (the $batch that lists mailFolders); every other request goes through.
type folderLookups struct {
	next      http.RoundTripper
	refuse    bool
	gate      chan struct{} // when set, a lookup waits for it to close or for its context
	sent      atomic.Int32
	cancelled atomic.Int32
}

func (f *folderLookups) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte("/mailFolders")) {
			f.sent.Add(1)
			if f.refuse {
				return &http.Response{StatusCode: http.StatusForbidden, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
					Body: io.NopCloser(strings.NewReader(`{"error":{"code":"ErrorAccessDenied","message":"Access is denied."}}`))}, nil
			}
			if f.gate != nil {
				select {
				case <-f.gate:
				case <-r.Context().Done():
					f.cancelled.Add(1)
					return nil, r.Context().Err()
				}
			}
		}
	}
	return f.next.RoundTrip(r)
}

func interpose(mb *mailbox) *folderLookups {
	tr := mb.http.Transport.(*transport)
	f := &folderLookups{next: tr.base}
	tr.base = f
	return f
}

// coldReader is a new connection to a mailbox holding one message, with its folder lookups
// interposed: reading the message needs the folder listing.
func coldReader(t *testing.T) (e *emu, mb *mailbox, id string, lookups *folderLookups) {
	e = startEmulator(t, emulator.Config{})
	id = e.insert(t, "Needs its folder", "a@example.net", time.Now())
	mb = e.connect(t, nil)
	return e, mb, id, interpose(mb)
}

// TestFolderLookupErrorReported: a read that needs the folder listing fails when the listing
// fails, and says that the folder lookup is what failed.
func TestFolderLookupErrorReported(t *testing.T) {
	t.Parallel()
	_, mb, id, lookups := coldReader(t)
	lookups.refuse = true
	_, err := mb.Read(ctxT(t), id, providers.ReadOptions{})
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Code != providers.PermissionDenied || !strings.Contains(pe.Message, "read message "+id+": looking up its folder: ") {
		t.Fatalf("read with a refused folder lookup: %v", err)
	}
	if lookups.sent.Load() != 1 {
		t.Errorf("%d folder lookups sent, want 1", lookups.sent.Load())
	}
	lookups.refuse = false
	msg, err := mb.Read(ctxT(t), id, providers.ReadOptions{})
	if err != nil || msg.Folder != "inbox" {
		t.Fatalf("read once the lookup works: %v, %v", msg, err)
	}
}

// TestFolderLookupCancellation: reads waiting for one folder lookup share it; a read whose
// context ends returns at once without failing the others; the lookup is cancelled when no
// read waits for it any more, and the next read starts a new one.
func TestFolderLookupCancellation(t *testing.T) {
	t.Parallel()
	e, mb, id, lookups := coldReader(t)
	lookups.gate = make(chan struct{})

	type outcome struct {
		msg *providers.Message
		err error
	}
	read := func(ctx context.Context) chan outcome {
		ch := make(chan outcome, 1)
		go func() { msg, err := mb.Read(ctx, id, providers.ReadOptions{}); ch <- outcome{msg, err} }()
		return ch
	}
	quitter, quit := context.WithCancel(ctxT(t))
	first := read(quitter)
	stayer := read(ctxT(t))
	waitFor(t, "the folder lookup", func() bool { return lookups.sent.Load() == 1 })
	time.Sleep(50 * time.Millisecond) // both reads are waiting for the lookup now
	quit()
	select {
	case o := <-first:
		if !errors.Is(o.err, context.Canceled) {
			t.Fatalf("the cancelled read returned %v", o.err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a cancelled read kept waiting for the folder lookup")
	}
	if lookups.cancelled.Load() != 0 {
		t.Fatal("one read giving up cancelled the lookup another read waits for")
	}
	close(lookups.gate)
	if o := <-stayer; o.err != nil || o.msg.Folder != "inbox" {
		t.Fatalf("the read that stayed: %v, %v", o.msg, o.err)
	}
	if lookups.sent.Load() != 1 {
		t.Errorf("%d folder lookups for two reads, want one shared", lookups.sent.Load())
	}

	cold := e.connect(t, nil)
	lookups = interpose(cold)
	lookups.gate = make(chan struct{})
	alone, leave := context.WithCancel(ctxT(t))
	ch := make(chan error, 1)
	go func() { _, err := cold.Read(alone, id, providers.ReadOptions{}); ch <- err }()
	waitFor(t, "the folder lookup", func() bool { return lookups.sent.Load() == 1 })
	leave()
	if err := <-ch; !errors.Is(err, context.Canceled) {
		t.Fatalf("the only read, cancelled: %v", err)
	}
	waitFor(t, "the abandoned lookup to be cancelled", func() bool { return lookups.cancelled.Load() == 1 })
	close(lookups.gate)
	if msg, err := cold.Read(ctxT(t), id, providers.ReadOptions{}); err != nil || msg.Folder != "inbox" || lookups.sent.Load() != 2 {
		t.Fatalf("a read after the abandoned lookup: %v, %v, %d lookups", msg, err, lookups.sent.Load())
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
