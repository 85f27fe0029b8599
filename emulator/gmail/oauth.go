package gmail

import (
	"crypto/rand"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/mailscript/mailscript/emulator/store"
)

// TokenPath is where the emulator serves Google's token endpoint; seeded service-account keys
// carry BaseURL()+TokenPath as their token_uri.
const TokenPath = "/google/oauth2/token"

// googleTokenURL is the audience Google's own libraries (Python, Java, .NET) put in the assertion
// whatever the key's token_uri says, so it is accepted next to the emulator's own URL.
const googleTokenURL = "https://oauth2.googleapis.com/token"

const jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// oauthError is the token endpoint's error body, with the status Google pairs with it.
type oauthError struct {
	status      int
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

func grantError(desc string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, Code: "invalid_grant", Description: desc}
}

var (
	errBadSignature = grantError("Invalid JWT Signature.")
	errBadSubject   = grantError("Invalid email or User ID")
	errUnknownAcct  = grantError("Invalid grant: account not found")
	errLifetime     = grantError("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.")
	errBadScope     = &oauthError{status: http.StatusBadRequest, Code: "invalid_scope",
		Description: "Invalid OAuth scope or ID token audience provided."}
	errNotDelegated = &oauthError{status: http.StatusUnauthorized, Code: "unauthorized_client",
		Description: "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}
)

type assertionClaims struct {
	Scope string `json:"scope"`
	jwt.RegisteredClaims
}

// maxAssertionLife and clockSkew follow Google's documented limits: one hour of validity,
// and a few minutes of tolerance for clocks that disagree.
const (
	maxAssertionLife = time.Hour
	clockSkew        = 5 * time.Minute
)

// verifyAssertion checks a JWT-bearer assertion the way Google does and returns the token it
// allows. The order of the checks decides which error a doubly-wrong assertion gets.
func verifyAssertion(s *store.Store, assertion, tokenURL string, now time.Time) (store.Token, *oauthError) {
	var claims assertionClaims
	var acct store.ServiceAccount
	keyFunc := func(t *jwt.Token) (any, error) {
		a, ok := s.ServiceAccount(claims.Issuer)
		if !ok {
			return nil, errUnknownAcct
		}
		acct = a
		if kid, _ := t.Header["kid"].(string); kid != "" && kid != a.PrivateKeyID {
			return nil, errBadSignature
		}
		return a.PublicKey, nil
	}
	p := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	if _, err := p.ParseWithClaims(assertion, &claims, keyFunc); err != nil {
		var oe *oauthError
		switch {
		case errors.As(err, &oe):
			return store.Token{}, oe
		case errors.Is(err, jwt.ErrTokenMalformed):
			return store.Token{}, grantError("Invalid JWT: the assertion is not a signed JWT (header.payload.signature)")
		default:
			return store.Token{}, errBadSignature
		}
	}
	if claims.IssuedAt == nil || claims.ExpiresAt == nil ||
		!claims.ExpiresAt.After(now) || claims.IssuedAt.After(now.Add(clockSkew)) ||
		claims.ExpiresAt.Sub(claims.IssuedAt.Time) > maxAssertionLife {
		return store.Token{}, errLifetime
	}
	if !slices.Contains(claims.Audience, tokenURL) && !slices.Contains(claims.Audience, googleTokenURL) {
		return store.Token{}, grantError("Invalid JWT: Failed audience check. The right audience is " + tokenURL)
	}
	scopes := strings.Fields(claims.Scope)
	if len(scopes) == 0 {
		return store.Token{}, errBadScope
	}
	tok := store.Token{Kind: store.Google, ClientID: acct.ClientID, Scopes: scopes}
	if claims.Subject == "" {
		return tok, nil
	}
	mb, ok := s.Mailbox(claims.Subject)
	if !ok || mb.Kind != store.Google {
		return store.Token{}, errBadSubject
	}
	if _, ok := s.GoogleDomain(mb.Domain); !ok {
		return store.Token{}, errBadSubject
	}
	granted := acct.Delegations[strings.ToLower(mb.Domain)]
	for _, sc := range scopes {
		if !slices.Contains(granted, sc) {
			return store.Token{}, errNotDelegated
		}
	}
	tok.Subject = mb.Address
	return tok, nil
}

func (h *handler) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuth(w, &oauthError{status: http.StatusMethodNotAllowed, Code: "invalid_request",
			Description: "The token endpoint accepts POST only."})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuth(w, &oauthError{status: http.StatusBadRequest, Code: "invalid_request", Description: "Malformed form body."})
		return
	}
	gt := r.PostForm.Get("grant_type")
	switch {
	case gt == "":
		writeOAuth(w, &oauthError{status: http.StatusBadRequest, Code: "invalid_request", Description: "Missing required parameter: grant_type"})
		return
	case gt != jwtBearerGrant:
		writeOAuth(w, &oauthError{status: http.StatusBadRequest, Code: "unsupported_grant_type", Description: "Invalid grant_type: " + gt})
		return
	}
	assertion := r.PostForm.Get("assertion")
	if assertion == "" {
		writeOAuth(w, &oauthError{status: http.StatusBadRequest, Code: "invalid_request", Description: "Missing required parameter: assertion"})
		return
	}
	t, oe := verifyAssertion(h.store, assertion, h.opts.BaseURL()+TokenPath, h.opts.Now())
	if oe != nil {
		writeOAuth(w, oe)
		return
	}
	t.Value = "ya29.emu-" + rand.Text()
	t = h.store.IssueToken(t, h.opts.TokenTTL)
	w.Header().Set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": t.Value,
		"expires_in":   int(h.opts.TokenTTL / time.Second),
		"token_type":   "Bearer",
	})
}

func writeOAuth(w http.ResponseWriter, e *oauthError) {
	writeJSON(w, e.status, e)
}

func (e *oauthError) Error() string { return e.Code + ": " + e.Description }
