package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mailscript/mailscript/internal/entracert"
)

const (
	defaultAuthorityHost = "https://login.microsoftonline.com/"
	defaultIMDSHost      = "http://169.254.169.254"
	// imdsWait bounds the managed identity probe when nothing else is configured: off Azure,
	// 169.254.169.254 may swallow packets instead of refusing them.
	imdsWait = 5 * time.Second
)

// azureToken returns an access token for resource (like https://vault.azure.net) from the first
// credential the environment offers, in the Azure SDKs' DefaultAzureCredential order: client
// secret, client certificate, workload identity (AKS), App Service managed identity, then the
// VM's IMDS.
func (r Resolver) azureToken(ctx context.Context, ref, resource string) (string, error) {
	tenant, client := r.getenv("AZURE_TENANT_ID"), r.getenv("AZURE_CLIENT_ID")
	secret, fedFile := r.getenv("AZURE_CLIENT_SECRET"), r.getenv("AZURE_FEDERATED_TOKEN_FILE")
	certFile := r.getenv("AZURE_CLIENT_CERTIFICATE_PATH")
	switch {
	case tenant != "" && client != "" && secret != "":
		r.Redactor.Add(secret)
		return r.entraToken(ctx, ref, tenant, client, resource, nil, "AZURE_CLIENT_SECRET")
	case tenant != "" && client != "" && certFile != "":
		password := r.getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD")
		r.Redactor.Add(password)
		b, err := r.readFile(certFile)
		if err != nil {
			return "", r.fail(ref, ErrDenied, err, "cannot read AZURE_CLIENT_CERTIFICATE_PATH: %v", errors.Unwrap(err))
		}
		cert, err := entracert.Parse(b, password)
		if err != nil {
			hint := ""
			if strings.Contains(err.Error(), "password") {
				hint = " (check AZURE_CLIENT_CERTIFICATE_PASSWORD)"
			}
			return "", r.fail(ref, ErrDenied, nil, "AZURE_CLIENT_CERTIFICATE_PATH %s: %v%s", certFile, err, hint)
		}
		sign := func(tokenURL string) (string, error) {
			a, err := cert.Assertion(client, tokenURL, time.Now())
			r.Redactor.Add(a)
			return a, err
		}
		return r.entraToken(ctx, ref, tenant, client, resource, sign,
			"that the certificate in AZURE_CLIENT_CERTIFICATE_PATH (thumbprint "+strings.ToUpper(cert.Thumbprint)+") is uploaded to the app registration")
	case tenant != "" && client != "" && fedFile != "":
		b, err := r.readFile(fedFile)
		if err != nil {
			return "", r.fail(ref, ErrDenied, err, "cannot read AZURE_FEDERATED_TOKEN_FILE: %v", errors.Unwrap(err))
		}
		assertion := strings.TrimSpace(string(b))
		r.Redactor.Add(assertion)
		return r.entraToken(ctx, ref, tenant, client, resource, func(string) (string, error) { return assertion, nil }, "the federated credential of AZURE_CLIENT_ID")
	case r.getenv("IDENTITY_ENDPOINT") != "" && r.getenv("IDENTITY_HEADER") != "":
		r.Redactor.Add(r.getenv("IDENTITY_HEADER"))
		q := url.Values{"api-version": {"2019-08-01"}, "resource": {resource}}
		return r.managedIdentityToken(ctx, ref, r.getenv("IDENTITY_ENDPOINT"), "IDENTITY_ENDPOINT", q,
			http.Header{"X-Identity-Header": {r.getenv("IDENTITY_HEADER")}})
	}
	host, setting := r.getenv("AZURE_POD_IDENTITY_AUTHORITY_HOST"), "AZURE_POD_IDENTITY_AUTHORITY_HOST"
	if host == "" {
		host, setting = defaultIMDSHost, "the managed identity endpoint (IMDS)"
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, imdsWait)
		defer cancel()
	}
	q := url.Values{"api-version": {"2018-02-01"}, "resource": {resource}}
	tok, err := r.managedIdentityToken(ctx, ref, strings.TrimRight(host, "/")+"/metadata/identity/oauth2/token", setting, q, http.Header{"Metadata": {"true"}})
	if errors.Is(err, ErrUnreachable) {
		return "", r.fail(ref, ErrDenied, err, "no Azure credential: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "+
			"(or AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_FEDERATED_TOKEN_FILE), or run on Azure with a managed identity (%s did not answer)", setting)
	}
	return tok, err
}

// entraToken runs the client credentials grant against AZURE_AUTHORITY_HOST (sovereign clouds
// have their own, like https://login.chinacloudapi.cn/), with AZURE_CLIENT_SECRET or, when
// assertion is set, the client assertion it makes for the token endpoint. check names what to
// fix when the credential itself is refused.
func (r Resolver) entraToken(ctx context.Context, ref, tenant, client, resource string, assertion func(tokenURL string) (string, error), check string) (string, error) {
	authority := r.getenv("AZURE_AUTHORITY_HOST")
	if authority == "" {
		authority = defaultAuthorityHost
	}
	base, err := endpoint(authority, "AZURE_AUTHORITY_HOST", false)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	cfg := clientcredentials.Config{ClientID: client, TokenURL: strings.TrimRight(base.String(), "/") + "/" + url.PathEscape(tenant) + "/oauth2/v2.0/token"}
	if assertion == nil {
		cfg.ClientSecret = r.getenv("AZURE_CLIENT_SECRET")
	} else {
		a, err := assertion(cfg.TokenURL)
		if err != nil {
			return "", r.fail(ref, ErrDenied, err, "cannot sign the client assertion: %v", err)
		}
		cfg.EndpointParams = url.Values{"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {a}}
	}
	cfg.Scopes = []string{resource + "/.default"}
	cfg.AuthStyle = oauth2.AuthStyleInParams
	tok, err := cfg.Token(r.oauthContext(ctx))
	if err == nil {
		r.Redactor.Add(tok.AccessToken)
		return tok.AccessToken, nil
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return "", r.sendError(ref, err, "Microsoft Entra at "+base.Host, "check AZURE_AUTHORITY_HOST and the network")
	}
	desc, _, _ := strings.Cut(re.ErrorDescription, "\n") // drop the trace and correlation ids
	desc = clause(desc)
	if desc == "" {
		desc = re.ErrorCode
	}
	switch {
	case strings.HasPrefix(desc, "AADSTS90002"):
		check = "AZURE_TENANT_ID"
	case strings.HasPrefix(desc, "AADSTS700016"):
		check = "AZURE_CLIENT_ID and that the app is registered in tenant " + tenant
	}
	return "", r.fail(ref, ErrDenied, nil, "Microsoft Entra refused a token for Key Vault to client %s in tenant %s (%s): check %s", client, tenant, desc, check)
}

// managedIdentityToken asks an Azure managed identity endpoint for a token. AZURE_CLIENT_ID,
// when set, picks a user-assigned identity.
func (r Resolver) managedIdentityToken(ctx context.Context, ref, raw, setting string, q url.Values, h http.Header) (string, error) {
	u, err := endpoint(raw, setting, true)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	if id := r.getenv("AZURE_CLIENT_ID"); id != "" {
		q.Set("client_id", id)
	}
	u.RawQuery = q.Encode()
	status, body, err := r.get(ctx, u.String(), h)
	if err != nil {
		return "", r.sendError(ref, err, "the managed identity endpoint "+u.Host, "check "+setting)
	}
	var resp struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"` // App Service's error shape
	}
	_ = json.Unmarshal(body, &resp)
	if status != http.StatusOK || resp.AccessToken == "" {
		said := strings.TrimSpace(resp.Error + " " + resp.Description + resp.Message)
		if said == "" {
			said = statusText(status)
		}
		return "", r.fail(ref, ErrDenied, nil, "the managed identity endpoint refused a token (%s): check that the identity is assigned (and AZURE_CLIENT_ID, for a user-assigned one)", said)
	}
	r.Redactor.Add(resp.AccessToken)
	return resp.AccessToken, nil
}
