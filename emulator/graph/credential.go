package graph

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/mailscript/mailscript/emulator/store"
)

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// checkCredential verifies a client secret (form or HTTP Basic) or a certificate assertion.
func (f *Face) checkCredential(r *http.Request, form url.Values, app store.App, t store.Tenant, tenantRef string) *aadError {
	secret := form.Get("client_secret")
	if _, pw, ok := r.BasicAuth(); ok && secret == "" {
		secret, _ = url.QueryUnescape(pw)
	}
	assertion := form.Get("client_assertion")
	switch {
	case assertion != "":
		if form.Get("client_assertion_type") != assertionType {
			return &aadError{400, "invalid_request", 50027, "The 'client_assertion_type' must be '" + assertionType + "'."}
		}
		return f.checkAssertion(assertion, app, t, tenantRef)
	case secret != "":
		for _, s := range app.Secrets {
			if subtle.ConstantTimeCompare([]byte(s), []byte(secret)) == 1 {
				return nil
			}
		}
		return &aadError{401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + app.ClientID + "'."}
	}
	return &aadError{401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
}

// thumbprintBytes decodes an x5t value whichever base64 alphabet the client used.
func thumbprintBytes(s string) []byte {
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b
		}
	}
	return nil
}

func (f *Face) checkAssertion(assertion string, app store.App, t store.Tenant, tenantRef string) *aadError {
	var used string
	tok, err := jwt.Parse(assertion, func(tok *jwt.Token) (any, error) {
		for _, h := range []string{"x5t#S256", "x5t"} {
			v, _ := tok.Header[h].(string)
			if v == "" {
				continue
			}
			used = v
			want := thumbprintBytes(v)
			for _, c := range app.Certificates {
				have := thumbprintBytes(c.Thumbprint)
				if h == "x5t#S256" {
					have = thumbprintBytes(c.SHA256)
				}
				if want != nil && bytes.Equal(want, have) {
					return c.PublicKey, nil
				}
			}
		}
		return nil, errKeyNotFound
	}, jwt.WithValidMethods([]string{"RS256", "PS256"}), jwt.WithTimeFunc(f.opts.Now), jwt.WithExpirationRequired())
	switch {
	case errors.Is(err, errKeyNotFound):
		return &aadError{401, "invalid_client", 700027, "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '" + used + "', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '" + app.ClientID + "'.]"}
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return &aadError{401, "invalid_client", 700027, "Client assertion failed signature validation."}
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return &aadError{401, "invalid_client", 700024, "Client assertion is not within its valid time range."}
	case err != nil:
		return &aadError{401, "invalid_client", 50027, "JWT token is invalid or malformed."}
	}
	claims, _ := tok.Claims.(jwt.MapClaims)
	iss, _ := claims.GetIssuer()
	sub, _ := claims.GetSubject()
	if !strings.EqualFold(iss, app.ClientID) || !strings.EqualFold(sub, app.ClientID) {
		return &aadError{401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."}
	}
	aud, _ := claims.GetAudience()
	if !f.validAudience(aud, t, tenantRef) {
		return &aadError{401, "invalid_client", 50012, "Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."}
	}
	return nil
}

var errKeyNotFound = errors.New("signing key not registered")

// validAudience accepts the token endpoint or the issuer, named by tenant id or by the path's
// tenant (a domain), as Entra does.
func (f *Face) validAudience(aud []string, t store.Tenant, tenantRef string) bool {
	base := f.opts.BaseURL()
	for _, a := range aud {
		for _, ref := range []string{t.ID, tenantRef} {
			switch strings.TrimSuffix(a, "/") {
			case base + "/" + ref + "/oauth2/v2.0/token", base + "/" + ref + "/v2.0", base + "/" + ref + "/oauth2/token":
				return true
			}
		}
	}
	return false
}
