package gmail

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

// assertion signs claims the way x/oauth2/jwt does, with knobs for each way to get it wrong.
func (e *env) assertion(key *rsa.PrivateKey, edit func(c jwt.MapClaims, h map[string]any)) string {
	now := e.clock.Now()
	c := jwt.MapClaims{
		"iss": saEmail, "scope": scopeModify, "aud": e.srv.URL + TokenPath, "sub": testUser,
		"iat": now.Add(-10 * time.Second).Unix(), "exp": now.Add(time.Hour - 10*time.Second).Unix(),
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = testKeyID
	if edit != nil {
		edit(c, tok.Header)
	}
	s, err := tok.SignedString(key)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func TestTokenEndpointErrors(t *testing.T) {
	e := newEnv(t)
	post := func(form url.Values) (int, string) {
		code, _, body := e.do("POST", TokenPath, "", []byte(form.Encode()),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		return code, strings.Join(strings.Fields(string(body)), " ")
	}
	grant := func(a string) url.Values {
		return url.Values{"grant_type": {jwtBearerGrant}, "assertion": {a}}
	}
	tests := []struct {
		name     string
		form     url.Values
		wantCode int
		wantBody string
	}{
		{"signed by another key", grant(e.assertion(strayKey, nil)), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid JWT Signature." }`},
		{"unknown key id", grant(e.assertion(saKey, func(_ jwt.MapClaims, h map[string]any) { h["kid"] = "nope" })), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid JWT Signature." }`},
		{"unknown service account", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { c["iss"] = "ghost@x.iam.gserviceaccount.com" })), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid grant: account not found" }`},
		{"sub not in the domain", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { c["sub"] = "nobody@example.com" })), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid email or User ID" }`},
		{"sub is a Microsoft mailbox", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { c["sub"] = "ops@contoso.com" })), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid email or User ID" }`},
		{"scope not delegated", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { c["scope"] = scopeLabels })), 401,
			`{ "error": "unauthorized_client", "error_description": "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested." }`},
		{"expired assertion", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) {
			c["iat"], c["exp"] = e.clock.Now().Add(-2*time.Hour).Unix(), e.clock.Now().Add(-time.Hour).Unix()
		})), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim." }`},
		{"lifetime over an hour", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { c["exp"] = e.clock.Now().Add(2 * time.Hour).Unix() })), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim." }`},
		{"wrong audience", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { c["aud"] = "https://example.com/token" })), 400,
			`{ "error": "invalid_grant", "error_description": "Invalid JWT: Failed audience check. The right audience is ` + e.srv.URL + TokenPath + `" }`},
		{"no scope", grant(e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { delete(c, "scope") })), 400,
			`{ "error": "invalid_scope", "error_description": "Invalid OAuth scope or ID token audience provided." }`},
		{"HS256 assertion", grant(func() string {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": saEmail}).SignedString([]byte("k"))
			return s
		}()), 400, `{ "error": "invalid_grant", "error_description": "Invalid JWT Signature." }`},
		{"wrong grant type", url.Values{"grant_type": {"client_credentials"}}, 400,
			`{ "error": "unsupported_grant_type", "error_description": "Invalid grant_type: client_credentials" }`},
		{"missing assertion", url.Values{"grant_type": {jwtBearerGrant}}, 400,
			`{ "error": "invalid_request", "error_description": "Missing required parameter: assertion" }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(tc.form)
			if code != tc.wantCode || body != tc.wantBody {
				t.Errorf("got %d %s\nwant %d %s", code, body, tc.wantCode, tc.wantBody)
			}
		})
	}
}

func TestTokenEndpointGrants(t *testing.T) {
	e := newEnv(t)
	code, _, body := e.do("POST", TokenPath, "", []byte(url.Values{"grant_type": {jwtBearerGrant},
		"assertion": {e.assertion(saKey, func(c jwt.MapClaims, _ map[string]any) { c["aud"] = googleTokenURL })}}.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if code != 200 || !strings.Contains(string(body), `"token_type": "Bearer"`) || !strings.Contains(string(body), `"expires_in": 3600`) {
		t.Fatalf("Google's canonical audience: got %d %s", code, body)
	}
}

// The x/oauth2 JWT source hands back the emulator's error body unparsed, which is what the
// google provider turns into AUTH_FAILED with providerCode invalid_grant.
func TestJWTConfigSeesGoogleErrors(t *testing.T) {
	e := newEnv(t)
	cfg, err := google.JWTConfigFromJSON(e.keyJSON(saKey), scopeModify)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Subject = "ghost@example.com"
	_, err = cfg.TokenSource(context.Background()).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != 400 ||
		strings.Join(strings.Fields(string(re.Body)), " ") != `{ "error": "invalid_grant", "error_description": "Invalid email or User ID" }` {
		t.Fatalf("got %v", err)
	}
	cfg.Subject = testUser
	if _, err := cfg.TokenSource(context.Background()).Token(); err != nil {
		t.Fatalf("valid subject: %v", err)
	}
}
