package google

import (
	"bufio"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/googleapi"
)

// TestParseBatch reads an answer in the layout of Google's batch documentation: parts out of
// order, matched by Content-ID, with per-call errors.
func TestParseBatch(t *testing.T) {
	f, err := os.Open("testdata/batch-response.golden")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	resp := &http.Response{Header: http.Header{"Content-Type": {"multipart/mixed; boundary=batch_abc"}}, Body: f}
	bodies := make([][]byte, 3)
	errs := make([]error, 3)
	if err := parseBatch(resp, bodies, errs); err != nil {
		t.Fatal(err)
	}
	if errs[1] != nil || !strings.Contains(string(bodies[1]), `"id": "18c2"`) {
		t.Errorf("call 1 = %q, %v", bodies[1], errs[1])
	}
	var ge *googleapi.Error
	if !errors.As(errs[0], &ge) || ge.Code != 404 || ge.Errors[0].Reason != "notFound" {
		t.Errorf("call 0 error = %v", errs[0])
	}
	if kind, wait := classify(errs[2]); kind != refused || wait != 3*time.Second {
		t.Errorf("call 2 = %v: outcome %v, wait %v; want refused after 3s", errs[2], kind, wait)
	}
}

func TestBatchBody(t *testing.T) {
	m := &mailbox{cfg: &config{gmailURL: "https://gmail.googleapis.com/"}}
	body, contentType, units, err := m.batchBody([]string{"messages/a1?format=metadata&metadataHeaders=From", "labels/INBOX"})
	if err != nil {
		t.Fatal(err)
	}
	if units != 5+1 { // messages.get + labels.get
		t.Errorf("batch units = %d, want 6", units)
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/mixed" {
		t.Fatalf("content type %q", contentType)
	}
	mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
	var got []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		if p.Header.Get("Content-Type") != "application/http" {
			t.Errorf("part content type %q", p.Header.Get("Content-Type"))
		}
		req, err := http.ReadRequest(bufio.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.Header.Get("Content-Id")+" "+req.Method+" "+req.URL.RequestURI())
	}
	want := []string{"<0> GET /gmail/v1/users/me/messages/a1?format=metadata&metadataHeaders=From", "<1> GET /gmail/v1/users/me/labels/INBOX"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("batch calls =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestHostOnly(t *testing.T) {
	reached := false
	rt := hostOnly{host: "127.0.0.1:8080", next: roundTripFunc(func(*http.Request) (*http.Response, error) {
		reached = true
		return nil, errors.New("stop")
	})}
	req, _ := http.NewRequest(http.MethodGet, "https://evil.example.com/upload", nil)
	req.Header.Set("Authorization", "Bearer secret")
	if _, err := rt.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "refusing") || reached {
		t.Errorf("request to another host: %v (reached %v)", err, reached)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
