package secrets

import (
	"testing"

	"github.com/mailscript/mailscript/secrets/secretstest"
)

func TestAWSSecretsManager(t *testing.T) {
	a := secretstest.NewAWS(t)
	a.Set("qa/mail", `{"clientSecret":"`+canary+`","tenant":"contoso"}`)
	a.Set("qa/plain", "second-version-value")
	a.Set("qa/locked", "forbidden-value")
	a.Forbid("qa/locked")
	arn := "arn:aws:secretsmanager:" + a.Region + ":123456789012:secret:qa/plain"
	a.Set(arn, "second-version-value")
	session := map[string]string{"AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEXAMPLESESSION"}
	runVaultCases(t, a.Env(), []string{a.SecretAccessKey}, []vaultCase{
		{name: "JSON field", ref: "awssm://qa/mail#clientSecret", want: canary},
		{name: "whole string", ref: "awssm://qa/plain", want: "second-version-value"},
		{name: "session credentials", ref: "awssm://qa/plain", env: session, want: "second-version-value", creds: []string{a.SecretAccessKey, session["AWS_SESSION_TOKEN"]}},
		{name: "region from the ARN", ref: "awssm://" + arn, env: map[string]string{"AWS_REGION": ""}, want: "second-version-value"},
		{name: "missing key", ref: "awssm://qa/mail#password", kind: ErrNotFound, msg: []string{`qa/mail has no key "password" (it has: clientSecret, tenant)`}},
		{name: "field of a plain string", ref: "awssm://qa/plain#x", msg: []string{"not a JSON object"}},
		{name: "missing secret", ref: "awssm://qa/nope", kind: ErrNotFound,
			msg: []string{"AWS Secrets Manager in eu-west-1 answered ResourceNotFoundException: Secrets Manager can't find the specified secret: check the name qa/nope and AWS_REGION"}},
		{name: "denied by policy", ref: "awssm://qa/locked", kind: ErrDenied, msg: []string{"AccessDeniedException", "allow secretsmanager:GetSecretValue"}},
		{name: "wrong secret key", ref: "awssm://qa/plain", env: map[string]string{"AWS_SECRET_ACCESS_KEY": "wJalr/not-the-right-key"}, kind: ErrDenied,
			msg: []string{"InvalidSignatureException", "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"}},
		{name: "unknown access key", ref: "awssm://qa/plain", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIAUNKNOWN0000000"}, kind: ErrDenied, msg: []string{"UnrecognizedClientException"}},
		{name: "no region", ref: "awssm://qa/plain", env: map[string]string{"AWS_REGION": ""}, msg: []string{"no AWS region: set AWS_REGION"}},
		{name: "unreachable", ref: "awssm://qa/plain", env: map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": closedURL(t)}, kind: ErrUnreachable,
			msg: []string{"cannot reach AWS Secrets Manager in eu-west-1", "AWS_ENDPOINT_URL_SECRETS_MANAGER"}},
		{name: "plain http off loopback", ref: "awssm://qa/plain", env: map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://sm.example.com"}, msg: []string{"use https"}},
		{name: "bad reference", ref: "awssm://qa/mail#", msg: []string{"awssm://NAME#FIELD"}},
	})
}
