package graph

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mailscript/mailscript/emulator/store"
)

// aadError is an Entra ID OAuth error in the service's shape.
type aadError struct {
	status int
	kind   string // OAuth error: invalid_client, invalid_request, ...
	code   int    // AADSTS number
	text   string
}

func (f *Face) writeAAD(w http.ResponseWriter, r *http.Request, e aadError) {
	trace := newGUID()
	corr := r.Header.Get("client-request-id")
	if corr == "" {
		corr = newGUID()
	}
	ts := f.opts.Now().UTC().Format("2006-01-02 15:04:05Z")
	body := object{
		{"error", e.kind},
		{"error_description", fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", e.code, e.text, trace, corr, ts)},
		{"error_codes", []int{e.code}},
		{"timestamp", ts},
		{"trace_id", trace},
		{"correlation_id", corr},
		{"error_uri", f.opts.BaseURL() + "/error?code=" + fmt.Sprint(e.code)},
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("x-ms-request-id", trace)
	w.Header().Set("client-request-id", corr)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(body)
}

func (f *Face) serveLogin(w http.ResponseWriter, r *http.Request) {
	seg := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)
	tenantRef, rest := seg[0], ""
	if len(seg) == 2 {
		rest = seg[1]
	}
	switch {
	case rest == "oauth2/v2.0/token" && r.Method == http.MethodPost:
		f.serveToken(w, r, tenantRef)
		return
	case rest == "v2.0/.well-known/openid-configuration" && r.Method == http.MethodGet:
		f.serveOpenID(w, r, tenantRef)
		return
	case rest == "discovery/v2.0/keys" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, object{{"keys", []any{}}})
		return
	}
	http.NotFound(w, r)
}

func (f *Face) resolveTenant(ref string) (store.Tenant, *aadError) {
	switch strings.ToLower(ref) {
	case "common", "organizations", "consumers":
		return store.Tenant{}, &aadError{400, "invalid_request", 50059, "No tenant-identifying information found in either the request or implied by any provided credentials."}
	}
	t, ok := f.store.Tenant(ref)
	if !ok {
		return store.Tenant{}, &aadError{400, "invalid_request", 90002, "Tenant '" + ref + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."}
	}
	return t, nil
}

func (f *Face) serveOpenID(w http.ResponseWriter, r *http.Request, ref string) {
	t, e := f.resolveTenant(ref)
	if e != nil {
		f.writeAAD(w, r, *e)
		return
	}
	base := f.opts.BaseURL()
	writeJSON(w, http.StatusOK, object{
		{"token_endpoint", base + "/" + t.ID + "/oauth2/v2.0/token"},
		{"token_endpoint_auth_methods_supported", []string{"client_secret_post", "private_key_jwt", "client_secret_basic"}},
		{"jwks_uri", base + "/" + t.ID + "/discovery/v2.0/keys"},
		{"response_modes_supported", []string{"query", "fragment", "form_post"}},
		{"subject_types_supported", []string{"pairwise"}},
		{"id_token_signing_alg_values_supported", []string{"RS256"}},
		{"response_types_supported", []string{"code", "id_token", "code id_token", "id_token token"}},
		{"scopes_supported", []string{"openid", "profile", "email", "offline_access"}},
		{"issuer", base + "/" + t.ID + "/v2.0"},
		{"request_uri_parameter_supported", false},
		{"userinfo_endpoint", base + "/oidc/userinfo"},
		{"authorization_endpoint", base + "/" + t.ID + "/oauth2/v2.0/authorize"},
		{"device_authorization_endpoint", base + "/" + t.ID + "/oauth2/v2.0/devicecode"},
		{"http_logout_supported", true},
		{"frontchannel_logout_supported", true},
		{"end_session_endpoint", base + "/" + t.ID + "/oauth2/v2.0/logout"},
		{"claims_supported", []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver"}},
		{"tenant_region_scope", "EU"},
		{"cloud_instance_name", strings.TrimPrefix(strings.TrimPrefix(base, "http://"), "https://")},
		{"cloud_graph_host_name", "graph.windows.net"},
		{"msgraph_host", strings.TrimPrefix(strings.TrimPrefix(base, "http://"), "https://")},
		{"rbac_url", "https://pas.windows.net"},
	})
}

// serveInstanceDiscovery answers MSAL's authority validation for the emulator's host.
func (f *Face) serveInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	host := strings.TrimPrefix(strings.TrimPrefix(f.opts.BaseURL(), "http://"), "https://")
	writeJSON(w, http.StatusOK, object{
		{"tenant_discovery_endpoint", f.opts.BaseURL() + "/common/v2.0/.well-known/openid-configuration"},
		{"api-version", "1.1"},
		{"metadata", []any{object{{"preferred_network", host}, {"preferred_cache", host}, {"aliases", []string{host}}}}},
	})
}

// graphResources are the resource ids a Graph .default scope may name.
func (f *Face) graphResource(res string) bool {
	res = strings.TrimSuffix(res, "/")
	return res == "https://graph.microsoft.com" || res == "00000003-0000-0000-c000-000000000000" ||
		res == strings.TrimSuffix(f.opts.BaseURL(), "/")
}

func (f *Face) serveToken(w http.ResponseWriter, r *http.Request, tenantRef string) {
	if err := r.ParseForm(); err != nil {
		f.writeAAD(w, r, aadError{400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."})
		return
	}
	form := r.PostForm
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		if gt == "" {
			f.writeAAD(w, r, aadError{400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."})
		} else {
			f.writeAAD(w, r, aadError{400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '" + gt + "'."})
		}
		return
	}
	t, e := f.resolveTenant(tenantRef)
	if e != nil {
		f.writeAAD(w, r, *e)
		return
	}
	clientID := form.Get("client_id")
	if user, _, ok := r.BasicAuth(); ok && clientID == "" {
		clientID, _ = url.QueryUnescape(user)
	}
	if clientID == "" {
		f.writeAAD(w, r, aadError{400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."})
		return
	}
	app, ok := f.store.App(clientID)
	if !ok || app.TenantID != t.ID {
		f.writeAAD(w, r, aadError{400, "unauthorized_client", 700016, "Application with identifier '" + clientID + "' was not found in the directory '" + tenantRef + "'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."})
		return
	}
	if e := f.checkScope(form.Get("scope"), t); e != nil {
		f.writeAAD(w, r, *e)
		return
	}
	if e := f.checkCredential(r, form, app, t, tenantRef); e != nil {
		f.writeAAD(w, r, *e)
		return
	}
	tok := f.issue(app, t)
	w.Header().Set("Cache-Control", "no-store, no-cache")
	secs := int(f.opts.TokenTTL / time.Second)
	writeJSON(w, http.StatusOK, object{
		{"token_type", "Bearer"}, {"expires_in", secs}, {"ext_expires_in", secs}, {"access_token", tok.Value},
	})
}

func (f *Face) checkScope(scope string, t store.Tenant) *aadError {
	var rest []string
	for _, s := range strings.Fields(scope) {
		switch s {
		case "openid", "offline_access", "profile":
		default:
			rest = append(rest, s)
		}
	}
	if len(rest) == 0 {
		return &aadError{400, "invalid_request", 70011, "The provided request must include a 'scope' input parameter."}
	}
	res, ok := strings.CutSuffix(rest[0], "/.default")
	if len(rest) > 1 || !ok {
		return &aadError{400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."}
	}
	if !f.graphResource(res) {
		return &aadError{400, "invalid_resource", 500011, "The resource principal named " + res + " was not found in the tenant named " + t.ID + ". This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."}
	}
	return nil
}

// issue mints a JWT-shaped access token (claims like Entra's v1 app tokens; the signature is
// random, the emulator recognises its tokens by value).
func (f *Face) issue(app store.App, t store.Tenant) store.Token {
	now := f.opts.Now()
	sig := make([]byte, 64)
	_, _ = rand.Read(sig)
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	value := enc(object{{"typ", "JWT"}, {"alg", "RS256"}, {"kid", "emulator"}}) + "." + enc(object{
		{"aud", "https://graph.microsoft.com"}, {"iss", "https://sts.windows.net/" + t.ID + "/"},
		{"iat", now.Unix()}, {"nbf", now.Unix()}, {"exp", now.Add(f.opts.TokenTTL).Unix()},
		{"app_displayname", app.DisplayName}, {"appid", app.ClientID}, {"appidacr", "1"}, {"idtyp", "app"},
		{"roles", app.Permissions}, {"sub", app.ClientID}, {"tid", t.ID}, {"ver", "1.0"},
	}) + "." + base64.RawURLEncoding.EncodeToString(sig)
	return f.store.IssueToken(store.Token{Value: value, Kind: store.Microsoft, TenantID: t.ID, ClientID: app.ClientID, Roles: app.Permissions}, f.opts.TokenTTL)
}
