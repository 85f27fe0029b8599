package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mailscript/mailscript/emulator/smtp/smtptest"
	"github.com/mailscript/mailscript/internal/mailview"
)

// do sends one request to the emulator, with a JSON content type when body is not empty.
func do(t *testing.T, method, url, body string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestViewerPage: the page at / and its assets carry the strict headers; nothing else at the
// root answers, and only loopback Host names are served.
func TestViewerPage(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	for _, path := range []string{"/", "/_emulator/ui/viewer.js", "/_emulator/ui/viewer.css", "/_emulator/ui/mailview.js", "/_emulator/ui/mailview.css"} {
		resp := do(t, "GET", s.URL()+path, "")
		body := readAll(t, resp)
		if resp.StatusCode != 200 || body == "" {
			t.Errorf("GET %s: %d (%d bytes)", path, resp.StatusCode, len(body))
			continue
		}
		h := resp.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
		if h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: X-Frame-Options %q, X-Content-Type-Options %q", path, h.Get("X-Frame-Options"), h.Get("X-Content-Type-Options"))
		}
	}
	if body := readAll(t, do(t, "GET", s.URL()+"/", "")); !strings.Contains(body, `src="/_emulator/ui/viewer.js"`) {
		t.Errorf("the page does not load its script: %s", body)
	}
	for _, c := range []struct{ method, path string }{{"POST", "/"}, {"GET", "/index.html"}, {"GET", "/_emulator/ui/nothing.js"}, {"GET", "/_emulator/ui/"}} {
		if resp := do(t, c.method, s.URL()+c.path, ""); resp.StatusCode != 404 {
			t.Errorf("%s %s: %d, want 404", c.method, c.path, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("GET", s.URL()+"/", nil)
	req.Host = "mail.attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var refused map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&refused); err != nil || resp.StatusCode != 403 || !strings.Contains(refused["error"], "not loopback") {
		t.Errorf("GET / with Host mail.attacker.example: %d %v, want 403 with the inspection API's error", resp.StatusCode, refused)
	}
}

const viewerMail = "From: Shop <no-reply@shop.example>\r\nTo: qa-inbox@contoso.com\r\nSubject: Your receipt\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=b1\r\n\r\n" +
	"--b1\r\nContent-Type: multipart/related; boundary=b2\r\n\r\n" +
	"--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Thanks for order <b>1042</b> <img src=\"cid:logo@shop\"></p>\r\n" +
	"--b2\r\nContent-Type: image/gif\r\nContent-ID: <logo@shop>\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw=\r\n--b2--\r\n" +
	"--b1\r\nContent-Type: text/html; name=\"r\u00e9sum\u00e9.html\"\r\nContent-Disposition: attachment; filename=\"receipt.html\"\r\n\r\n<script>alert(1)</script>\r\n--b1--\r\n"

// TestViewerMessageAPI injects a message and goes through what the viewer does with it:
// folders and counts, search, the shared view, a part, mark read, delete.
func TestViewerMessageAPI(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	mb := "qa-inbox@contoso.com"
	req, _ := http.NewRequest("POST", s.URL()+"/_emulator/mailboxes/"+mb+"/messages", strings.NewReader(viewerMail))
	req.Header.Set("Content-Type", "message/rfc822")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("inject: %v %v", err, resp)
	}
	box, _ := s.Store().Mailbox(mb)
	ms, _ := s.Store().List(mb, storeQuery("inbox"))
	id := ms[0].ID

	var mbs []struct {
		ID, Address string
		Messages    int
		Unread      int
		Folders     []struct {
			ID, Name, WellKnown string
			Messages, Unread    int
		}
	}
	if err := json.Unmarshal([]byte(readAll(t, do(t, "GET", s.URL()+"/_emulator/mailboxes", ""))), &mbs); err != nil {
		t.Fatal(err)
	}
	for _, m := range mbs {
		if m.ID != box.ID {
			continue
		}
		for _, f := range m.Folders {
			if f.WellKnown == "inbox" && (f.Messages != len(ms) || f.Unread < 1 || f.Name != "Inbox") {
				t.Errorf("inbox folder %+v, want %d messages, some unread", f, len(ms))
			}
		}
		if len(m.Folders) < 7 {
			t.Errorf("mailbox %s lists %d folders, want the 7 well-known ones at least", m.Address, len(m.Folders))
		}
	}

	list := s.URL() + "/_emulator/mailboxes/" + mb + "/messages?folder=inbox"
	for q, want := range map[string]int{"RECEIPT": 1, "order 1042": 1, "no-reply@shop": 1, "  ORDER   1042 ": 1, "qa-inbox@contoso": len(ms), "nothing like this": 0} {
		resp := do(t, "GET", list+"&q="+strings.ReplaceAll(q, " ", "+"), "")
		var got []map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&got)
		if len(got) < want || want <= 1 && len(got) != want || resp.Header.Get("X-Total-Count") != strconv.Itoa(len(got)) {
			t.Errorf("search %q: %d messages (X-Total-Count %s), want %d", q, len(got), resp.Header.Get("X-Total-Count"), want)
		}
	}
	resp := do(t, "GET", list+"&limit=1", "")
	var one []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&one)
	if len(one) != 1 || resp.Header.Get("X-Total-Count") != strconv.Itoa(len(ms)) || one[0]["id"] != id || one[0]["hasAttachments"] != true {
		t.Errorf("limit=1: %v, X-Total-Count %s", one, resp.Header.Get("X-Total-Count"))
	}
	if _, isList := one[0]["labels"].([]any); len(one) == 1 && !isList {
		t.Errorf("labels = %#v, want a list (empty on a Graph mailbox), never null", one[0]["labels"])
	}
	if resp := do(t, "GET", list+"&limit=-2", ""); resp.StatusCode != 400 || !strings.Contains(readAll(t, resp), "limit -2") {
		t.Errorf("limit=-2: %d", resp.StatusCode)
	}

	msgURL := s.URL() + messagePath(box.ID, id)
	var v mailview.Message
	if err := json.Unmarshal([]byte(readAll(t, do(t, "GET", msgURL, ""))), &v); err != nil {
		t.Fatal(err)
	}
	if v.Subject != "Your receipt" || v.From.Name != "Shop" || v.Folder != "Inbox" || !strings.Contains(v.HTML, "1042") || v.RawURL != messagePath(box.ID, id)+"/raw" || len(v.Attachments) != 2 {
		t.Fatalf("view = %+v", v)
	}
	if logo := v.Attachments[0]; logo.ContentID != "logo@shop" || !strings.HasPrefix(logo.URL, "data:image/gif;base64,R0lGOD") {
		t.Errorf("cid part = %+v, want a data: URL", logo)
	}
	file := v.Attachments[1]
	if file.Name != "receipt.html" || file.URL != messagePath(box.ID, id)+"/parts/1" {
		t.Errorf("attachment = %+v", file)
	}
	resp = do(t, "GET", s.URL()+file.URL, "")
	if body := readAll(t, resp); body != "<script>alert(1)</script>" || resp.Header.Get("Content-Type") != "text/html" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename=receipt.html` || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("part: %q %v", body, resp.Header)
	}
	if resp := do(t, "GET", msgURL+"/parts/2", ""); resp.StatusCode != 404 || !strings.Contains(readAll(t, resp), "numbered from 0") {
		t.Errorf("part 2 of 2: %d", resp.StatusCode)
	}
	if resp := do(t, "GET", msgURL+"/raw", ""); !strings.Contains(readAll(t, resp), "Subject: Your receipt") {
		t.Error("RawURL does not serve the source")
	}

	for _, c := range []struct {
		body   string
		header []string
		status int
	}{
		{`{"isRead":true}`, nil, 200},
		{`{"read":true}`, nil, 400},
		{`{}`, nil, 400},
		{`{"isRead":true}`, []string{"Content-Type", "text/plain"}, 415},
		{`{"isRead":true}`, []string{"Origin", "https://attacker.example"}, 403},
	} {
		if resp := do(t, "PATCH", msgURL, c.body, c.header...); resp.StatusCode != c.status {
			t.Errorf("PATCH %s %v: %d, want %d", c.body, c.header, resp.StatusCode, c.status)
		}
	}
	if m, _ := s.Store().Get(mb, id); !m.IsRead {
		t.Error("PATCH isRead:true left the message unread")
	}
	if resp := do(t, "DELETE", msgURL, "", "Origin", "http://evil.example"); resp.StatusCode != 403 {
		t.Errorf("cross-origin DELETE: %d, want 403", resp.StatusCode)
	}
	if resp := do(t, "DELETE", msgURL, "", "Origin", strings.TrimSuffix(s.URL(), "/")); resp.StatusCode != 204 {
		t.Errorf("same-origin DELETE: %d, want 204", resp.StatusCode)
	}
	if resp := do(t, "GET", msgURL, ""); resp.StatusCode != 404 {
		t.Errorf("GET after DELETE: %d, want 404", resp.StatusCode)
	}
}

// TestViewerSinkAPI: SMTP mail for an unknown address is listed, searched, viewed, its part
// served and deleted, like hosted mail.
func TestViewerSinkAPI(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	mail := strings.Replace(viewerMail, "To: qa-inbox@contoso.com", "To: customer@elsewhere.example", 1)
	if err := smtptest.Send(s.SMTPAddr(), nil, nil, "app@shop.example", []string{"customer@elsewhere.example"}, mail); err != nil {
		t.Fatal(err)
	}
	sink := s.Store().Sink()
	if len(sink) != 1 {
		t.Fatalf("sink holds %d messages", len(sink))
	}
	id := sink[0].ID
	for q, want := range map[string]string{"customer@elsewhere": "1", "app@shop.example": "1", "order 1042": "1", "zzz": "0"} {
		resp := do(t, "GET", s.URL()+"/_emulator/sink?limit=0&q="+strings.ReplaceAll(q, " ", "+"), "")
		if got := resp.Header.Get("X-Total-Count"); got != want || strings.TrimSpace(readAll(t, resp)) != "[]" {
			t.Errorf("sink search %q: X-Total-Count %s, want %s", q, got, want)
		}
	}
	var v mailview.Message
	if err := json.Unmarshal([]byte(readAll(t, do(t, "GET", s.URL()+"/_emulator/sink/"+id+"/view", ""))), &v); err != nil {
		t.Fatal(err)
	}
	if v.Subject != "Your receipt" || v.To[0].Address != "customer@elsewhere.example" || v.RawURL != "/_emulator/sink/"+id+"/raw" || len(v.Attachments) != 2 {
		t.Fatalf("sink view = %+v", v)
	}
	if body := readAll(t, do(t, "GET", s.URL()+v.Attachments[1].URL, "")); !strings.Contains(body, "<script>") {
		t.Errorf("sink part: %q", body)
	}
	if resp := do(t, "DELETE", s.URL()+"/_emulator/sink/"+id, ""); resp.StatusCode != 204 {
		t.Errorf("DELETE sink message: %d", resp.StatusCode)
	}
	if resp := do(t, "GET", s.URL()+"/_emulator/sink/"+id+"/view", ""); resp.StatusCode != 404 {
		t.Errorf("GET deleted sink message: %d", resp.StatusCode)
	}
}

// TestViewerLineEnds: the view gives a body the \n line ends a script's read gives, though the
// store keeps the message's CRLF for the Graph face.
func TestViewerLineEnds(t *testing.T) {
	t.Parallel()
	s := start(t, Config{})
	mb := "qa-inbox@contoso.com"
	raw := "From: a@example.net\r\nTo: " + mb + "\r\nSubject: lines\r\nContent-Type: text/plain\r\n\r\none\r\ntwo\r\nthree\r\n"
	req, _ := http.NewRequest("POST", s.URL()+"/_emulator/mailboxes/"+mb+"/messages", strings.NewReader(raw))
	req.Header.Set("Content-Type", "message/rfc822")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("inject: %v %v", err, resp)
	}
	box, _ := s.Store().Mailbox(mb)
	ms, _ := s.Store().List(mb, storeQuery("inbox"))
	var v mailview.Message
	if err := json.Unmarshal([]byte(readAll(t, do(t, "GET", s.URL()+messagePath(box.ID, ms[0].ID), ""))), &v); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v.Text, "one\ntwo\nthree") {
		t.Errorf("view text = %q, want \\n line ends", v.Text)
	}
}
