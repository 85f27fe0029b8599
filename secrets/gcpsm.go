package secrets

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	secretmanager "google.golang.org/api/secretmanager/v1"
)

const (
	// defaultGCPSMURL is Secret Manager's REST root; MAILSCRIPT_GCPSM_URL replaces it (regional
	// endpoints, other universes, tests).
	defaultGCPSMURL    = "https://secretmanager.googleapis.com/"
	cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"
)

var gcpSecretName = lazyRegexp(`^projects/[^/]+/secrets/[^/]+(/versions/[^/]+)?$`)

// gcpSM reads gcpsm://projects/P/secrets/S[/versions/V] (V defaults to latest) through the
// Secret Manager client, authenticated by GOOGLE_APPLICATION_CREDENTIALS or the application
// default credentials.
func (r Resolver) gcpSM(ctx context.Context, ref string) (string, error) {
	name := strings.TrimSuffix(strings.TrimPrefix(ref, "gcpsm://"), "/")
	if !gcpSecretName().MatchString(name) {
		return "", r.fail(ref, nil, nil, "a Secret Manager reference looks like gcpsm://projects/PROJECT/secrets/NAME or gcpsm://projects/PROJECT/secrets/NAME/versions/VERSION")
	}
	if !strings.Contains(name, "/versions/") {
		name += "/versions/latest"
	}
	root := r.getenv("MAILSCRIPT_GCPSM_URL")
	if root == "" {
		root = defaultGCPSMURL
	}
	base, err := endpoint(root, "MAILSCRIPT_GCPSM_URL", false)
	if err != nil {
		return "", r.fail(ref, nil, nil, "%v", err)
	}
	ts, err := r.googleTokenSource(ctx, ref)
	if err != nil {
		return "", err
	}
	hc := r.client()
	hc.Transport = &oauth2.Transport{Source: redactingSource{src: ts, red: r.Redactor}, Base: hc.Transport}
	svc, err := secretmanager.NewService(ctx, option.WithHTTPClient(hc), option.WithEndpoint(strings.TrimRight(base.String(), "/")+"/"))
	if err != nil {
		return "", r.fail(ref, nil, err, "cannot set up the Secret Manager client: %v", err)
	}
	resp, err := svc.Projects.Secrets.Versions.Access(name).Context(ctx).Do()
	if err != nil {
		return "", r.gcpError(ref, name, base.Host, err)
	}
	if resp.Payload == nil {
		return "", r.fail(ref, nil, nil, "Secret Manager answered without a payload for %s", name)
	}
	data, err := base64.StdEncoding.DecodeString(resp.Payload.Data)
	if err != nil {
		return "", r.fail(ref, nil, err, "Secret Manager's payload for %s is not base64: %v", name, err)
	}
	if resp.Payload.DataCrc32c != 0 && int64(crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli))) != resp.Payload.DataCrc32c {
		return "", r.fail(ref, nil, nil, "the payload of %s does not match its CRC32C checksum: it was corrupted in transit, try again", name)
	}
	return string(data), nil
}

// googleTokenSource loads GOOGLE_APPLICATION_CREDENTIALS through the injected environment, or
// falls back to the application default credentials (gcloud's login, the metadata server).
func (r Resolver) googleTokenSource(ctx context.Context, ref string) (oauth2.TokenSource, error) {
	octx := r.oauthContext(ctx)
	path := r.getenv("GOOGLE_APPLICATION_CREDENTIALS")
	if path == "" {
		creds, err := google.FindDefaultCredentials(octx, cloudPlatformScope)
		if err != nil {
			return nil, r.fail(ref, ErrDenied, err, "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a key file, "+
				"or run `gcloud auth application-default login`")
		}
		return creds.TokenSource, nil
	}
	b, err := r.readFile(path)
	if err != nil {
		return nil, r.fail(ref, ErrDenied, err, "cannot read GOOGLE_APPLICATION_CREDENTIALS: %v", errors.Unwrap(err))
	}
	var f struct {
		Type       string `json:"type"`
		PrivateKey string `json:"private_key"`
		TokenURI   string `json:"token_uri"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, r.fail(ref, ErrDenied, nil, "GOOGLE_APPLICATION_CREDENTIALS=%s is not a JSON key file: %v", path, err)
	}
	r.Redactor.Add(f.PrivateKey) // and each line of the PEM
	if f.TokenURI != "" {
		if _, err := endpoint(f.TokenURI, "token_uri in "+path, false); err != nil {
			return nil, r.fail(ref, nil, nil, "%v", err)
		}
	}
	known := []google.CredentialsType{google.ServiceAccount, google.AuthorizedUser, google.ExternalAccount,
		google.ExternalAccountAuthorizedUser, google.ImpersonatedServiceAccount}
	if !slices.Contains(known, google.CredentialsType(f.Type)) {
		return nil, r.fail(ref, ErrDenied, nil, "GOOGLE_APPLICATION_CREDENTIALS=%s has type %q: use a service account key or `gcloud auth application-default login`'s file", path, f.Type)
	}
	creds, err := google.CredentialsFromJSONWithType(octx, b, google.CredentialsType(f.Type), cloudPlatformScope)
	if err != nil {
		return nil, r.fail(ref, ErrDenied, nil, "GOOGLE_APPLICATION_CREDENTIALS=%s: %v", path, err)
	}
	return creds.TokenSource, nil
}

// gcpError explains Secret Manager's and the token endpoint's refusals.
func (r Resolver) gcpError(ref, name, host string, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		code, desc := re.ErrorCode, re.ErrorDescription
		if code == "" { // the JWT grant leaves the body unparsed
			var body struct {
				Error            string `json:"error"`
				ErrorDescription string `json:"error_description"`
			}
			_ = json.Unmarshal(re.Body, &body)
			code, desc = body.Error, body.ErrorDescription
		}
		said := strings.TrimSpace(code + " " + clause(desc))
		if said == "" && re.Response != nil {
			said = statusText(re.Response.StatusCode)
		}
		return r.fail(ref, ErrDenied, nil, "the Google token endpoint refused the credentials (%s): check GOOGLE_APPLICATION_CREDENTIALS (a disabled or deleted key?)", said)
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return r.sendError(ref, err, "Secret Manager at "+host, "check the network and MAILSCRIPT_GCPSM_URL")
	}
	said := fmt.Sprintf("%s: %s", statusText(ge.Code), clause(ge.Message))
	switch ge.Code {
	case http.StatusNotFound:
		return r.fail(ref, ErrNotFound, nil, "Secret Manager answered %s: check the project, the secret name and that %s exists and is enabled", said, name)
	case http.StatusForbidden:
		return r.fail(ref, ErrDenied, nil, "Secret Manager answered %s: grant the credentials' account roles/secretmanager.secretAccessor on the secret or project", said)
	case http.StatusUnauthorized:
		return r.fail(ref, ErrDenied, nil, "Secret Manager answered %s: check GOOGLE_APPLICATION_CREDENTIALS", said)
	case http.StatusBadRequest:
		if strings.Contains(ge.Message, "DISABLED") { // FAILED_PRECONDITION: "... is in DISABLED state."
			return r.fail(ref, ErrNotFound, nil, "Secret Manager answered %s: enable the version or name another one", said)
		}
	}
	return r.fail(ref, nil, nil, "Secret Manager answered %s", said)
}
