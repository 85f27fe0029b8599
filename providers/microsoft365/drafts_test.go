package microsoft365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mailscript/mailscript/emulator"
	"github.com/mailscript/mailscript/providers"
)

// onRequest stands between the provider and the emulator and runs before each request that
// matches (n counts them from 1); what it returns replaces the round trip when not nil. The
// emulator's faults fire at random rates; these tests need one at an exact step of a send.
type onRequest struct {
	base  http.RoundTripper
	match func(*http.Request) bool
	n     atomic.Int32
	fn    func(n int32, r *http.Request, base http.RoundTripper) (*http.Response, error)
}

func (o *onRequest) RoundTrip(r *http.Request) (*http.Response, error) {
	if o.match(r) {
		return o.fn(o.n.Add(1), r, o.base)
	}
	return o.base.RoundTrip(r)
}

func isUploadPut(r *http.Request) bool {
	return r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/AttachmentSessions(")
}

func isDraftSend(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/send")
}

// TestFailedLargeSendLeavesNoDraft: a send whose upload session fails, or whose run is
// interrupted, midway deletes its draft; one interrupted after the send request went out
// says that the message may have been sent, and it was.
func TestFailedLargeSendLeavesNoDraft(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		match   func(*http.Request) bool
		fn      func(e *emu, cancel context.CancelFunc) func(int32, *http.Request, http.RoundTripper) (*http.Response, error)
		wantErr string
		sent    int
	}{
		{
			name:  "the upload fails midway",
			match: isUploadPut,
			fn: func(e *emu, _ context.CancelFunc) func(int32, *http.Request, http.RoundTripper) (*http.Response, error) {
				return func(n int32, r *http.Request, base http.RoundTripper) (*http.Response, error) {
					if n < 2 {
						return base.RoundTrip(r)
					}
					// From the second chunk on, the emulator fails the upload with 500.
					if err := e.srv.SetFaults(emulator.Faults{Fail: map[int]float64{500: 1}}); err != nil {
						return nil, err
					}
					defer func() { _ = e.srv.SetFaults(emulator.Faults{}) }()
					return base.RoundTrip(r)
				}
			},
			wantErr: "the upload session refused chunk at byte",
		},
		{
			name:  "the run is interrupted midway through the upload",
			match: isUploadPut,
			fn: func(_ *emu, cancel context.CancelFunc) func(int32, *http.Request, http.RoundTripper) (*http.Response, error) {
				return func(n int32, r *http.Request, base http.RoundTripper) (*http.Response, error) {
					if n == 2 {
						cancel()
						return nil, r.Context().Err()
					}
					return base.RoundTrip(r)
				}
			},
			wantErr: "context canceled",
		},
		{
			name:  "the run is interrupted while the send request is answered",
			match: isDraftSend,
			fn: func(_ *emu, cancel context.CancelFunc) func(int32, *http.Request, http.RoundTripper) (*http.Response, error) {
				return func(_ int32, r *http.Request, base http.RoundTripper) (*http.Response, error) {
					resp, err := base.RoundTrip(r) // Graph sends the message
					if err == nil {
						_ = resp.Body.Close()
					}
					cancel()
					return nil, errors.New("connection reset by peer")
				}
			},
			wantErr: "the message may have been sent: the send request went out but its outcome is unknown",
			sent:    1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := startEmulator(t, emulator.Config{})
			mb := e.connect(t, nil)
			ctx, cancel := context.WithCancel(ctxT(t))
			tr := mb.http.Transport.(*transport)
			tr.base = &onRequest{base: tr.base, match: tt.match, fn: tt.fn(e, cancel)}
			subject := "large " + tt.name
			_, err := mb.Send(ctx, providers.Draft{To: []providers.Address{{Address: opsBox}}, Subject: subject, Text: "body",
				Attachments: []providers.DraftAttachment{{Name: "big.bin", Content: pattern(5 << 20)}}})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("send: %v; want an error containing %q", err, tt.wantErr)
			}
			drafts, err := e.connect(t, nil).List(ctxT(t), providers.Criteria{Folder: "drafts"})
			if err != nil || len(drafts) != 0 {
				t.Errorf("drafts after the failed send: %+v, %v; want none", drafts, err)
			}
			if n := e.delivered(t, opsBox, subject); n != tt.sent {
				t.Errorf("%d delivered, want %d", n, tt.sent)
			}
		})
	}
}
