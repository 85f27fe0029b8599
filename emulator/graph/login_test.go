package graph

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func (fx *fixture) assertion(t *testing.T, mutate func(jwt.MapClaims, *jwt.Token)) string {
	t.Helper()
	now := *fx.clock
	claims := jwt.MapClaims{"aud": fx.tokenURL(), "iss": fx.app.ClientID, "sub": fx.app.ClientID,
		"jti": "j1", "nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	sum := sha1.Sum(fx.cert.Raw)
	tok.Header["x5t"] = base64.StdEncoding.EncodeToString(sum[:])
	if mutate != nil {
		mutate(claims, tok)
	}
	s, err := tok.SignedString(fx.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokenEndpoint(t *testing.T) {
	fx := newFixture(t)
	other, _ := testCert(t)
	base := func() url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {fx.app.ClientID},
			"scope": {"https://graph.microsoft.com/.default openid offline_access profile"}, "client_info": {"1"}}
	}
	withSecret := func(s string) url.Values { v := base(); v.Set("client_secret", s); return v }
	withAssertion := func(a string) url.Values {
		v := base()
		v.Set("client_assertion_type", assertionType)
		v.Set("client_assertion", a)
		return v
	}
	tests := []struct {
		name   string
		tenant string
		form   url.Values
		status int
		code   int // AADSTS code; 0 means success
		kind   string
	}{
		{"secret", fx.tenant.ID, withSecret(secret), 200, 0, ""},
		{"tenant by domain", "contoso.com", withSecret(secret), 200, 0, ""},
		{"certificate", fx.tenant.ID, withAssertion(fx.assertion(t, nil)), 200, 0, ""},
		{"bad secret", fx.tenant.ID, withSecret("nope"), 401, 7000215, "invalid_client"},
		{"no credential", fx.tenant.ID, base(), 401, 7000218, "invalid_client"},
		{"unknown tenant", "fabrikam.com", withSecret(secret), 400, 90002, "invalid_request"},
		{"unknown app", fx.tenant.ID, func() url.Values {
			v := withSecret(secret)
			v.Set("client_id", "00000000-0000-0000-0000-000000000001")
			return v
		}(), 400, 700016, "unauthorized_client"},
		{"missing scope", fx.tenant.ID, func() url.Values { v := withSecret(secret); v.Set("scope", "openid"); return v }(), 400, 70011, "invalid_request"},
		{"delegated scope", fx.tenant.ID, func() url.Values { v := withSecret(secret); v.Set("scope", "Mail.Read"); return v }(), 400, 1002012, "invalid_scope"},
		{"grant type", fx.tenant.ID, func() url.Values { v := withSecret(secret); v.Set("grant_type", "password"); return v }(), 400, 70003, "unsupported_grant_type"},
		{"assertion signed by another key", fx.tenant.ID, withAssertion(func() string {
			a := fx.assertion(t, nil)
			forged, _ := jwt.ParseWithClaims(a, jwt.MapClaims{}, nil)
			s, _ := forged.SignedString(other)
			return s
		}()), 401, 700027, "invalid_client"},
		{"assertion unknown thumbprint", fx.tenant.ID, withAssertion(fx.assertion(t, func(_ jwt.MapClaims, tok *jwt.Token) { tok.Header["x5t"] = "AAAA" })), 401, 700027, "invalid_client"},
		{"assertion expired", fx.tenant.ID, withAssertion(fx.assertion(t, func(c jwt.MapClaims, _ *jwt.Token) { c["exp"] = fx.clock.Add(-time.Minute).Unix() })), 401, 700024, "invalid_client"},
		{"assertion wrong audience", fx.tenant.ID, withAssertion(fx.assertion(t, func(c jwt.MapClaims, _ *jwt.Token) {
			c["aud"] = "https://login.microsoftonline.com/x/oauth2/v2.0/token"
		})), 401, 50012, "invalid_client"},
		{"assertion wrong subject", fx.tenant.ID, withAssertion(fx.assertion(t, func(c jwt.MapClaims, _ *jwt.Token) { c["sub"] = "someone" })), 401, 700021, "invalid_client"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := fx.postForm(t, "/"+tc.tenant+"/oauth2/v2.0/token", tc.form)
			if status != tc.status {
				t.Fatalf("status = %d, want %d: %s", status, tc.status, body)
			}
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if tc.code == 0 {
				if got["token_type"] != "Bearer" || got["expires_in"] != 3600.0 || strings.Count(got["access_token"].(string), ".") != 2 {
					t.Errorf("token response = %v", got)
				}
				return
			}
			codes, _ := got["error_codes"].([]any)
			desc, _ := got["error_description"].(string)
			if got["error"] != tc.kind || len(codes) != 1 || codes[0] != float64(tc.code) || !strings.HasPrefix(desc, "AADSTS") || got["trace_id"] == nil || got["correlation_id"] == nil || got["timestamp"] != "2026-03-04 05:06:07Z" {
				t.Errorf("error body = %s", body)
			}
			if strings.Contains(string(body), secret) {
				t.Error("the error body leaks the secret")
			}
		})
	}
}

func TestTokenErrorGolden(t *testing.T) {
	fx := newFixture(t)
	fx.app.ClientID = strings.ToUpper(fx.app.ClientID)
	_, body := fx.postForm(t, "/"+fx.tenant.ID+"/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {fx.app.ClientID}, "client_secret": {"wrong"}, "scope": {"https://graph.microsoft.com/.default"}})
	golden(t, "token_invalid_secret", body)
}

func TestOpenIDConfiguration(t *testing.T) {
	fx := newFixture(t)
	status, _, body := fx.do(t, "GET", "/contoso.com/v2.0/.well-known/openid-configuration", "", nil)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var doc map[string]any
	_ = json.Unmarshal(body, &doc)
	if doc["token_endpoint"] != fx.tokenURL() || doc["issuer"] != fx.srv.URL+"/"+fx.tenant.ID+"/v2.0" {
		t.Errorf("openid configuration = %s", body)
	}
	if status, _, _ := fx.do(t, "GET", "/nope.example/v2.0/.well-known/openid-configuration", "", nil); status != 400 {
		t.Errorf("unknown tenant: status %d, want 400", status)
	}
}
