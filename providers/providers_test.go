package providers

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLinks(t *testing.T) {
	tests := []struct {
		name, text, html string
		want             []string
	}{
		{"text only", "Reset: https://example.com/reset?token=abc.\nBye", "", []string{"https://example.com/reset?token=abc"}},
		{"html entity decoded", "", `<a href="https://example.com/r?a=1&amp;b=2">x</a>`, []string{"https://example.com/r?a=1&b=2"}},
		{"dedup across parts", "see https://a.example/x", `<a href='https://a.example/x'>x</a>`, []string{"https://a.example/x"}},
		{"mailto ignored", "", `<a href="mailto:a@b.c">m</a>`, []string{}},
		{"img src kept", "", `<img src="http://cdn.example/p.png">`, []string{"http://cdn.example/p.png"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Links(tt.text, tt.html)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("Links = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCriteriaMatch(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := Summary{Subject: "Your one-time code", From: Address{"No Reply", "no-reply@example.com"},
		To: []Address{{"QA", "qa@contoso.com"}}, ReceivedAt: now, IsRead: false, HasAttachments: true}
	yes, no := true, false
	tests := []struct {
		name string
		c    Criteria
		want bool
	}{
		{"empty", Criteria{}, true},
		{"subject contains, any case", Criteria{Subject: Matcher{Contains: "ONE-TIME"}}, true},
		{"subject regexp", Criteria{Subject: Matcher{Regexp: regexp.MustCompile(`code$`)}}, true},
		{"subject miss", Criteria{Subject: Matcher{Contains: "invoice"}}, false},
		{"from by name", Criteria{From: Matcher{Contains: "no reply"}}, true},
		{"to by address", Criteria{To: Matcher{Contains: "qa@contoso"}}, true},
		{"from regexp anchored on the address", Criteria{From: Matcher{Regexp: regexp.MustCompile(`^no-reply@`)}}, true},
		{"from regexp anchored at the address's end", Criteria{From: Matcher{Regexp: regexp.MustCompile(`@example\.com$`)}}, true},
		{"from regexp anchored on the name", Criteria{From: Matcher{Regexp: regexp.MustCompile(`^No Reply$`)}}, true},
		{"from regexp of the whole entry", Criteria{From: Matcher{Regexp: regexp.MustCompile(`^No Reply <no-reply@`)}}, true},
		{"from regexp miss", Criteria{From: Matcher{Regexp: regexp.MustCompile(`^reply@`)}}, false},
		{"to regexp anchored", Criteria{To: Matcher{Regexp: regexp.MustCompile(`^qa@contoso\.com$`)}}, true},
		{"to regexp miss", Criteria{To: Matcher{Regexp: regexp.MustCompile(`^qa@example\.com$`)}}, false},
		{"unread", Criteria{Unread: &yes}, true},
		{"read only", Criteria{Unread: &no}, false},
		{"attachments", Criteria{HasAttachments: &no}, false},
		{"since inclusive", Criteria{Since: now}, true},
		{"since later", Criteria{Since: now.Add(time.Second)}, false},
		{"since within the same second", Criteria{Since: now.Add(900 * time.Millisecond)}, true},
		{"before exclusive", Criteria{Before: now}, false},
	}
	for _, tt := range tests {
		if got := tt.c.Match(s); got != tt.want {
			t.Errorf("%s: Match = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNewMessageID(t *testing.T) {
	a, b := NewMessageID("qa@contoso.com"), NewMessageID("qa@contoso.com")
	if a == b || !strings.HasSuffix(a, "@contoso.com>") || !strings.HasPrefix(a, "<") {
		t.Fatalf("NewMessageID gave %q and %q", a, b)
	}
	if got := NewMessageID("broken"); !strings.HasSuffix(got, "@mailscript.local>") {
		t.Fatalf("NewMessageID(no domain) = %q", got)
	}
}

func TestOptions(t *testing.T) {
	o := Options{"tenantId": "t", "mailbox": int64(3)} // goja exports a JS number as int64
	if err := o.Check("tenantId", "mailbox"); err != nil {
		t.Fatal(err)
	}
	if err := o.Check("tenantId"); err == nil || !strings.Contains(err.Error(), `"mailbox"`) {
		t.Fatalf("Check should name the unknown key, got %v", err)
	}
	if _, err := o.String("mailbox", nil, ""); err == nil || !strings.Contains(err.Error(), "must be a string, got the number 3") {
		t.Fatalf("String of a number: %v", err)
	}
	if _, err := (Options{"scopes": map[string]any{}}).String("scopes", nil, ""); err == nil || !strings.HasSuffix(err.Error(), "must be a string, got an object") {
		t.Fatalf("String of an object: %v", err)
	}
	env := func(k string) string { return map[string]string{"X_CLIENT": "from-env"}[k] }
	if v, _ := o.String("clientId", env, "X_CLIENT"); v != "from-env" {
		t.Fatalf("env fallback = %q", v)
	}
	if v, _ := o.String("tenantId", env, "X_CLIENT"); v != "t" {
		t.Fatalf("option should win over env, got %q", v)
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{512: "512 bytes", 1536: "1.5 KB", 35 << 20: "35.0 MB", 43200000: "41.2 MB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNewlines(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                        "",
		"a\nb":                    "a\nb",
		"a\r\nb\r\n":              "a\nb\n",
		"a\r\r\nb":                "a\nb",
		"a\rb":                    "a\nb",
		"a\r\n\r\nb\r\r\n\r\r\nc": "a\n\nb\n\nc",
		"\r\r\r\n":                "\n\n",
	} {
		if got := Newlines(in); got != want {
			t.Errorf("Newlines(%q) = %q, want %q", in, got, want)
		}
	}
}
