// Package secretstest serves loopback fakes of the key vaults that package secrets reads: Azure
// Key Vault behind its Entra token endpoint, HashiCorp Vault KV v2, Google Secret Manager, AWS
// Secrets Manager, and CyberArk's Conjur and Central Credential Provider (over TLS, the latter
// with client certificates), each speaking the real wire protocol. For tests only: it never
// imports secrets.
package secretstest
