package secretstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sigV4 is the shape of a SigV4 Authorization header.
var sigV4 = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)/(\d{8})/([a-z0-9-]+)/secretsmanager/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$`)

// AWS is Secrets Manager's JSON 1.1 protocol face (POST / with X-Amz-Target:
// secretsmanager.GetSecretValue). It checks the SigV4 signature with the secret key it issued,
// so a wrong key gets the service's InvalidSignatureException.
type AWS struct {
	*httptest.Server
	AccessKeyID, SecretAccessKey, Region string

	mu        sync.Mutex
	secrets   map[string]string
	forbidden map[string]bool
	t         testing.TB
}

// NewAWS starts the fake; it stops when the test ends.
func NewAWS(t testing.TB) *AWS {
	a := &AWS{AccessKeyID: "AKIA" + strings.ToUpper(token(""))[:16], SecretAccessKey: token("wJalr/"), Region: "eu-west-1",
		secrets: map[string]string{}, forbidden: map[string]bool{}, t: t}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

// Set stores a secret's SecretString.
func (a *AWS) Set(name, value string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.secrets[name] = value
}

// Forbid answers AccessDeniedException for name, as for a policy without GetSecretValue.
func (a *AWS) Forbid(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.forbidden[name] = true
}

// Env is the standard AWS configuration that reaches this fake, with no retries and no shared
// files, so that nothing on the machine running the test takes part.
func (a *AWS) Env() map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID": a.AccessKeyID, "AWS_SECRET_ACCESS_KEY": a.SecretAccessKey, "AWS_REGION": a.Region,
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": a.URL, "AWS_MAX_ATTEMPTS": "1",
		"AWS_CONFIG_FILE": "/nonexistent/aws/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws/credentials",
	}
}

func (a *AWS) serve(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, typ, msg string) {
		w.Header().Set("X-Amzn-Errortype", typ)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
	}
	body, _ := io.ReadAll(r.Body)
	if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" ||
		r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		fatalf(a.t, w, "Secrets Manager: %s with X-Amz-Target %q and Content-Type %q", r.Method, r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"))
		return
	}
	m := sigV4.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		fatalf(a.t, w, "Secrets Manager: malformed SigV4 Authorization %q", r.Header.Get("Authorization"))
		return
	}
	if m[1] != a.AccessKeyID {
		fail(http.StatusBadRequest, "UnrecognizedClientException", "The security token included in the request is invalid.")
		return
	}
	if m[3] != a.Region || !a.signatureMatches(r, body, m[4]) {
		fail(http.StatusBadRequest, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
		return
	}
	var in struct{ SecretId string }
	if err := json.Unmarshal(body, &in); err != nil || in.SecretId == "" {
		fail(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null")
		return
	}
	a.mu.Lock()
	value, found := a.secrets[in.SecretId]
	forbidden := a.forbidden[in.SecretId]
	a.mu.Unlock()
	arn := "arn:aws:secretsmanager:" + a.Region + ":123456789012:secret:" + in.SecretId + "-AbCdEf"
	switch {
	case forbidden:
		fail(http.StatusBadRequest, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/qa is not authorized to perform: secretsmanager:GetSecretValue on resource: "+in.SecretId+
			" because no identity-based policy allows the secretsmanager:GetSecretValue action")
	case !found:
		fail(http.StatusBadRequest, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	default:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_ = json.NewEncoder(w).Encode(map[string]any{"ARN": arn, "Name": in.SecretId, "SecretString": value,
			"VersionId": "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1", "VersionStages": []string{"AWSCURRENT"}, "CreatedDate": 1.523477145713e9})
	}
}

// signatureMatches signs the request's signed headers again with the issued secret key.
func (a *AWS) signatureMatches(r *http.Request, body []byte, signedHeaders string) bool {
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return false
	}
	again, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return false
	}
	for h := range strings.SplitSeq(signedHeaders, ";") {
		if h != "host" && h != "content-length" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, again, hex.EncodeToString(sum[:]), "secretsmanager", a.Region, when); err != nil {
		return false
	}
	return again.Header.Get("Authorization") == r.Header.Get("Authorization")
}
