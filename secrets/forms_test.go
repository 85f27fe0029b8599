package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestRedactorMasksTransformedForms embeds a secret in text the way scripts and reporters
// transform it, and checks that no 6-character run of the transformed secret survives.
func TestRedactorMasksTransformedForms(t *testing.T) {
	t.Parallel()
	const s = `s3cr3t+value/with=chars&<"q'!*()~ $#?:@[]`
	r := &Redactor{}
	r.Add(s)
	b64 := func(enc *base64.Encoding, v string) string { return enc.EncodeToString([]byte(v)) }
	jsonOf := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	xmlOf := func(v string) string {
		var b bytes.Buffer
		if err := xml.EscapeText(&b, []byte(v)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	strict := func(v string, lower bool) string {
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			c := v[i]
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-_.~", c) >= 0:
				b.WriteByte(c)
			case lower:
				fmt.Fprintf(&b, "%%%02x", c)
			default:
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		return b.String()
	}
	forms := map[string]func(s string) string{
		"btoa('x' + s)":           func(s string) string { return b64(base64.StdEncoding, "x"+s) },
		"btoa('xy' + s)":          func(s string) string { return b64(base64.StdEncoding, "xy"+s) },
		"btoa(s + 'tail')":        func(s string) string { return b64(base64.StdEncoding, s+"tail") },
		"Basic header":            func(s string) string { return "Basic " + b64(base64.StdEncoding, "0f4e2b1c-app-id:"+s) },
		"base64url, offset 1":     func(s string) string { return b64(base64.RawURLEncoding, "a"+s+"b") },
		"base64url, offset 2":     func(s string) string { return b64(base64.URLEncoding, "ab"+s) },
		"hex":                     func(s string) string { return hex.EncodeToString([]byte(s)) },
		"HEX":                     func(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) },
		"query escape":            url.QueryEscape,
		"path escape":             url.PathEscape,
		"query escape, lower hex": func(s string) string { return strings.ToLower(url.QueryEscape(s)) },
		"every reserved char":     func(s string) string { return strict(s, false) },
		"every reserved, lower":   func(s string) string { return strict(s, true) },
		"JSON in JUnit":           func(s string) string { return xmlOf(jsonOf(map[string]string{"secret": s})) },
		"JSON twice":              func(s string) string { return jsonOf(jsonOf(s)) },
		"JSON twice in JUnit":     func(s string) string { return xmlOf(jsonOf(jsonOf(s))) },
		"base64 in JSON in JUnit": func(s string) string { return xmlOf(jsonOf(b64(base64.StdEncoding, "x"+s))) },
	}
	// other differs from s in every letter and digit, so that the characters of a form that
	// change with it are the ones that carry the secret; a run of them that survives is a leak.
	other := strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'y', c >= 'A' && c <= 'Y', c >= '0' && c <= '8':
			return c + 1
		case c == 'z', c == 'Z', c == '9':
			return c - 1
		}
		return c
	}, s)
	for name, transform := range forms {
		form, control := transform(s), transform(other)
		got := r.Redact("before " + form + " after")
		if !strings.Contains(got, Mask) {
			t.Errorf("%s: nothing masked in %q", name, got)
			continue
		}
		for i := 0; i+6 <= len(form) && i+6 <= len(control); i++ {
			if w := form[i : i+6]; !strings.Contains(control, w) && strings.Contains(got, w) {
				t.Errorf("%s: %q survives in %q", name, w, got)
				break
			}
		}
	}
}
