package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsarn "github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// awsSM reads awssm://NAME[#FIELD] (NAME or ARN) with GetSecretValue. Settings come from the
// injected environment with the names the AWS SDKs and CLI use (AWS_REGION, AWS_ACCESS_KEY_ID,
// AWS_PROFILE, AWS_ENDPOINT_URL_SECRETS_MANAGER...); the rest of the standard chain (shared
// config and credentials files, SSO, web identity, instance roles) is the SDK's own.
func (r Resolver) awsSM(ctx context.Context, ref string) (string, error) {
	name, field, hasField := strings.Cut(strings.TrimPrefix(ref, "awssm://"), "#")
	if name == "" || hasField && field == "" {
		return "", r.fail(ref, nil, nil, "an AWS Secrets Manager reference looks like awssm://NAME or awssm://NAME#FIELD (NAME may be the secret's ARN)")
	}
	cfg, err := config.LoadDefaultConfig(ctx, r.awsOptions(name)...)
	if err != nil {
		return "", r.fail(ref, nil, err, "cannot load the AWS configuration: %v: check AWS_PROFILE and ~/.aws/config", err)
	}
	if cfg.Region == "" {
		return "", r.fail(ref, nil, nil, "no AWS region: set AWS_REGION (or a region in the AWS_PROFILE's config), or use the secret's ARN")
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return "", r.fail(ref, ErrDenied, err, "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an IAM role (%v)", err)
	}
	r.Redactor.Add(creds.SecretAccessKey)
	r.Redactor.Add(creds.SessionToken)

	var opts []func(*secretsmanager.Options)
	setting, ep := "AWS_ENDPOINT_URL_SECRETS_MANAGER", r.getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER")
	if ep == "" {
		setting, ep = "AWS_ENDPOINT_URL", r.getenv("AWS_ENDPOINT_URL")
	}
	if ep != "" {
		if _, err := endpoint(ep, setting, false); err != nil {
			return "", r.fail(ref, nil, nil, "%v", err)
		}
		opts = append(opts, func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(ep) })
	}
	out, err := secretsmanager.NewFromConfig(cfg, opts...).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		return "", r.awsError(ref, name, cfg.Region, err)
	}
	if out.SecretString == nil {
		if hasField {
			return "", r.fail(ref, nil, nil, "%s holds binary data, which has no fields: drop #%s", name, field)
		}
		return string(out.SecretBinary), nil
	}
	if !hasField {
		return *out.SecretString, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(*out.SecretString), &fields); err != nil {
		return "", r.fail(ref, nil, nil, "%s is not a JSON object, so #%s picks nothing: drop the field, or store key/value pairs", name, field)
	}
	return r.jsonField(ref, fields, field, name+" has no key")
}

// awsOptions passes the injected environment to the SDK, which otherwise reads only the
// process environment (and would miss --env-file). The SDK keeps its own HTTP client, which
// honours AWS_CA_BUNDLE; SigV4 signs each request, so there is no bearer token to leak on a
// redirect.
func (r Resolver) awsOptions(name string) []func(*config.LoadOptions) error {
	var opts []func(*config.LoadOptions) error
	region := r.getenv("AWS_REGION")
	if region == "" {
		region = r.getenv("AWS_DEFAULT_REGION")
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	} else if a, err := awsarn.Parse(name); err == nil && a.Region != "" {
		opts = append(opts, config.WithDefaultRegion(a.Region))
	}
	if id, key := r.getenv("AWS_ACCESS_KEY_ID"), r.getenv("AWS_SECRET_ACCESS_KEY"); id != "" && key != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(id, key, r.getenv("AWS_SESSION_TOKEN"))))
	}
	if p := r.getenv("AWS_PROFILE"); p != "" {
		opts = append(opts, config.WithSharedConfigProfile(p))
	}
	if f := r.getenv("AWS_CONFIG_FILE"); f != "" {
		opts = append(opts, config.WithSharedConfigFiles([]string{f}))
	}
	if f := r.getenv("AWS_SHARED_CREDENTIALS_FILE"); f != "" {
		opts = append(opts, config.WithSharedCredentialsFiles([]string{f}))
	}
	if n, err := strconv.Atoi(r.getenv("AWS_MAX_ATTEMPTS")); err == nil && n > 0 {
		opts = append(opts, config.WithRetryMaxAttempts(n))
	}
	return opts
}

// awsError explains the JSON protocol's error types in terms of what to grant or set.
func (r Resolver) awsError(ref, name, region string, err error) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		var send *smithyhttp.RequestSendError
		if errors.As(err, &send) || errors.Is(err, context.DeadlineExceeded) {
			return r.sendError(ref, err, "AWS Secrets Manager in "+region, "check AWS_REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER and the network")
		}
		return r.fail(ref, nil, err, "AWS Secrets Manager in %s: %v", region, err)
	}
	said := api.ErrorCode()
	if m := api.ErrorMessage(); m != "" {
		said += ": " + clause(m)
	}
	switch api.ErrorCode() {
	case "ResourceNotFoundException":
		return r.fail(ref, ErrNotFound, nil, "AWS Secrets Manager in %s answered %s: check the name %s and AWS_REGION", region, said, name)
	case "AccessDeniedException":
		return r.fail(ref, ErrDenied, nil, "AWS Secrets Manager answered %s: allow secretsmanager:GetSecretValue on the secret in the IAM policy", said)
	case "DecryptionFailure":
		return r.fail(ref, ErrDenied, nil, "AWS Secrets Manager answered %s: allow kms:Decrypt on the secret's KMS key", said)
	case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature", "ExpiredTokenException", "InvalidClientTokenId":
		return r.fail(ref, ErrDenied, nil, "AWS refused the credentials (%s): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (or the profile's)", said)
	}
	return r.fail(ref, nil, nil, "AWS Secrets Manager in %s answered %s", region, said)
}
