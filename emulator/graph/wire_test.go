package graph

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestGraphErrors checks the exact status, code and headers of the service's refusals.
func TestGraphErrors(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	reader := fx.token(t, fx.readOnly)
	expired := fx.token(t, fx.app)
	msgs := "/v1.0/users/ana%40contoso.com/messages"
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"no token", "GET", msgs, "", "", 401, "InvalidAuthenticationToken"},
		{"garbage token", "GET", msgs, "garbage", "", 401, "InvalidAuthenticationToken"},
		{"unknown jwt", "GET", msgs, "a.b.c", "", 401, "InvalidAuthenticationToken"},
		{"me with app token", "GET", "/v1.0/me/messages", tok, "", 400, "BadRequest"},
		{"unknown user", "GET", "/v1.0/users/zed@contoso.com/messages", tok, "", 404, "ErrorInvalidUser"},
		{"other face's mailbox", "GET", "/v1.0/users/qa@example.com/messages", tok, "", 404, "ErrorInvalidUser"},
		{"unknown message", "GET", msgs + "/AAMkAGnope", tok, "", 404, "ErrorItemNotFound"},
		{"search with filter", "GET", msgs + "?$search=%22order%22&$filter=isRead%20eq%20false", tok, "", 400, "ErrorInvalidUrlQuery"},
		{"search with orderby", "GET", msgs + "?$search=%22order%22&$orderby=subject", tok, "", 400, "ErrorInvalidUrlQuery"},
		{"orderby not leading filter", "GET", msgs + "?$filter=isRead%20eq%20false&$orderby=receivedDateTime%20desc", tok, "", 400, "InefficientFilter"},
		{"unsupported function", "GET", msgs + "?$filter=endswith(subject,'x')", tok, "", 400, "ErrorInvalidUrlQueryFilter"},
		{"unknown property", "GET", msgs + "?$filter=colour%20eq%20'red'", tok, "", 400, "BadRequest"},
		{"filter syntax", "GET", msgs + "?$filter=isRead%20eq", tok, "", 400, "BadRequest"},
		{"bad select", "GET", msgs + "?$select=subject,colour", tok, "", 400, "RequestBroker--ParseUri"},
		{"top too big", "GET", msgs + "?$top=1001", tok, "", 400, "ErrorInvalidProperty"},
		{"read-only app patches", "PATCH", msgs + "/x", reader, `{"isRead":true}`, 403, "ErrorAccessDenied"},
		{"read-only app sends", "POST", "/v1.0/users/ana@contoso.com/sendMail", reader, `{}`, 403, "ErrorAccessDenied"},
		{"send without recipients", "POST", "/v1.0/users/ana@contoso.com/sendMail", tok, `{"message":{"subject":"x"}}`, 400, "ErrorInvalidRecipients"},
		{"bad custom header", "POST", "/v1.0/users/ana@contoso.com/sendMail", tok, `{"message":{"subject":"x","toRecipients":[{"emailAddress":{"address":"ben@contoso.com"}}],"internetMessageHeaders":[{"name":"Foo","value":"1"}]}}`, 400, "InvalidInternetMessageHeader"},
		{"move without destination", "POST", msgs + "/x/move", tok, `{}`, 400, "ErrorInvalidRequest"},
		{"batch too large", "POST", "/v1.0/$batch", tok, batchOf(21), 400, "BadRequest"},
	}
	*fx.clock = fx.clock.Add(-2 * time.Hour)
	expired = fx.token(t, fx.app)
	*fx.clock = fx.clock.Add(2 * time.Hour)
	tests = append(tests, struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{"expired token", "GET", msgs, expired, "", 401, "InvalidAuthenticationToken"})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body *strings.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			var status int
			var hdr map[string][]string
			var b []byte
			if body != nil {
				status, hdr, b = fx.do(t, tc.method, tc.path, tc.token, body, "client-request-id", "c-1")
			} else {
				status, hdr, b = fx.do(t, tc.method, tc.path, tc.token, nil, "client-request-id", "c-1")
			}
			if status != tc.status {
				t.Fatalf("status = %d, want %d: %s", status, tc.status, b)
			}
			var e errorBody
			if err := json.Unmarshal(b, &e); err != nil || e.Error.Code != tc.code || e.Error.Message == "" {
				t.Fatalf("body = %s, want code %s", b, tc.code)
			}
			if e.Error.InnerError.ClientRequestID != "c-1" || e.Error.InnerError.RequestID != hdrGet(hdr, "request-id") || e.Error.InnerError.Date != "2026-03-04T05:06:07" {
				t.Errorf("innerError = %+v, request-id header %q", e.Error.InnerError, hdrGet(hdr, "request-id"))
			}
			if tc.status == 401 && !strings.HasPrefix(hdrGet(hdr, "WWW-Authenticate"), "Bearer ") {
				t.Errorf("401 without WWW-Authenticate: %v", hdr)
			}
		})
	}
}

func hdrGet(h map[string][]string, k string) string {
	for name, v := range h {
		if strings.EqualFold(name, k) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func batchOf(n int) string {
	var reqs []string
	for i := 0; i < n; i++ {
		reqs = append(reqs, `{"id":"`+string(rune('a'+i))+`","method":"GET","url":"/users/ana@contoso.com/messages"}`)
	}
	return `{"requests":[` + strings.Join(reqs, ",") + `]}`
}

func TestGraphQueries(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	count := func(q string) int {
		t.Helper()
		status, _, b := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/messages?$top=100&"+q, tok, nil)
		if status != 200 {
			t.Fatalf("%s: status %d: %s", q, status, b)
		}
		var out struct{ Value []map[string]any }
		_ = json.Unmarshal(b, &out)
		return len(out.Value)
	}
	tests := []struct {
		query string
		want  int
	}{
		{"$filter=" + url.QueryEscape("isRead eq false"), 13},
		{"$filter=" + url.QueryEscape("isRead eq false and startswith(subject,'Order 0')"), 5},
		{"$filter=" + url.QueryEscape("from/emailAddress/address eq 'joerg@example.net'"), 1},
		{"$filter=" + url.QueryEscape("receivedDateTime ge 2026-03-03T10:20:00Z"), 6},
		{"$filter=" + url.QueryEscape("receivedDateTime ge 2026-03-03T10:20:00Z and isRead eq true") + "&$orderby=" + url.QueryEscape("receivedDateTime desc"), 3},
		{"$filter=" + url.QueryEscape("ccRecipients/any(r:r/emailAddress/address eq 'ben@contoso.com')"), 1},
		{"$filter=" + url.QueryEscape("not (isRead eq true) or hasAttachments eq true"), 13},
		{"$search=" + url.QueryEscape(`"482913"`), 1},
		{"$search=" + url.QueryEscape(`"subject:order from:shop"`), 25},
		{"$skip=20", 6},
	}
	for _, tc := range tests {
		if got := count(tc.query); got != tc.want {
			t.Errorf("%s: %d messages, want %d", tc.query, got, tc.want)
		}
	}
}

func TestGraphGolden(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	_, _, list := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/messages?$top=2&$select=subject,from,isRead&$count=true", tok, nil)
	golden(t, "messages_select_page", list)
	var page struct{ Value []struct{ ID string } }
	_ = json.Unmarshal(list, &page)
	_, hdr, msg := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/messages/"+page.Value[0].ID, tok, nil, "Prefer", `outlook.body-content-type="text"`)
	if hdrGet(hdr, "Preference-Applied") != `outlook.body-content-type="text"` {
		t.Errorf("Preference-Applied = %q", hdrGet(hdr, "Preference-Applied"))
	}
	golden(t, "message_text_body", msg)
	_, _, atts := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/messages/"+page.Value[0].ID+"/attachments", tok, nil)
	golden(t, "attachments", atts)
	_, _, folders := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/mailFolders", tok, nil)
	golden(t, "mail_folders", folders)
	_, _, bad := fx.do(t, "GET", "/v1.0/users/ana@contoso.com/messages?$filter=isRead%20eq%20false&$orderby=subject", tok, nil, "client-request-id", "golden")
	golden(t, "error_inefficient_filter", bad)
}

func TestSendMIME(t *testing.T) {
	fx := newFixture(t)
	tok := fx.token(t, fx.app)
	raw := "From: ana@contoso.com\r\nTo: ben@contoso.com\r\nBcc: hidden@elsewhere.net\r\nSubject: MIME send\r\nMessage-ID: <fixed@mailscript>\r\n\r\nbody\r\n"
	status, _, b := fx.do(t, "POST", "/v1.0/users/ana@contoso.com/sendMail", tok, strings.NewReader(base64.StdEncoding.EncodeToString([]byte(raw))), "Content-Type", "text/plain")
	if status != 202 || len(b) != 0 {
		t.Fatalf("status %d body %s", status, b)
	}
	inbox, _ := fx.store.List("ben@contoso.com", storeQuery("inbox"))
	if len(inbox) != 1 || inbox[0].MessageID != "<fixed@mailscript>" || inbox[0].Header("Bcc") != "" {
		t.Fatalf("ben's inbox = %+v", inbox)
	}
	if sink := fx.store.Sink(); len(sink) != 1 || sink[0].Recipients[0] != "hidden@elsewhere.net" {
		t.Errorf("sink = %+v", sink)
	}
}
