// Package entracert loads a Microsoft Entra app's certificate credential (PEM or PFX) and signs
// the client assertions that stand in for a client secret. The Microsoft 365 provider and the
// Azure Key Vault secret resolver both sign in with it.
package entracert

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"software.sslmate.com/src/go-pkcs12"
)

// Certificate is an app credential: the key signs client assertions, the thumbprints tell
// Entra which registered certificate to check them against.
type Certificate struct {
	key        crypto.Signer
	x5t        string // base64url SHA-1 thumbprint
	x5tS256    string // base64url SHA-256 thumbprint
	Thumbprint string // hex SHA-1, as the Entra portal shows it
}

// Parse accepts PEM (certificate plus PKCS#1, PKCS#8 or EC private key, the key
// optionally encrypted with the legacy PEM scheme) or PKCS#12 (PFX) bytes.
func Parse(data []byte, password string) (*Certificate, error) {
	var (
		certs []*x509.Certificate
		key   any
	)
	if strings.Contains(string(data), "-----BEGIN") {
		for rest := data; ; {
			var block *pem.Block
			if block, rest = pem.Decode(rest); block == nil {
				break
			}
			switch {
			case block.Type == "CERTIFICATE":
				c, err := x509.ParseCertificate(block.Bytes)
				if err != nil {
					return nil, fmt.Errorf("bad CERTIFICATE block: %v", err)
				}
				certs = append(certs, c)
			case strings.HasSuffix(block.Type, "PRIVATE KEY") && key == nil:
				k, err := parsePEMKey(block, password)
				if err != nil {
					return nil, err
				}
				key = k
			}
		}
	} else {
		// DecodeChain, not Decode: a PFX exported with its CA chain is the common case.
		k, leaf, chain, err := pkcs12.DecodeChain(data, password)
		if err != nil {
			return nil, fmt.Errorf("not a PEM file, and not a PFX that opens with the given password: %v", err)
		}
		key, certs = k, append([]*x509.Certificate{leaf}, chain...)
	}
	if len(certs) == 0 || key == nil {
		return nil, fmt.Errorf("the file must hold both the certificate and its private key")
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("unsupported private key type %T", key)
	}
	if _, isRSA := signer.(*rsa.PrivateKey); !isRSA {
		return nil, fmt.Errorf("Microsoft Entra certificate credentials need an RSA key, got %T", key)
	}
	// The app's certificate is the one that matches the key, wherever the file puts it among
	// the chain's.
	var leaf *x509.Certificate
	for _, c := range certs {
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok && pub.Equal(signer.Public()) {
			leaf = c
			break
		}
	}
	if leaf == nil {
		return nil, fmt.Errorf("no certificate in the file matches its private key")
	}
	s1 := sha1.Sum(leaf.Raw)
	s256 := sha256.Sum256(leaf.Raw)
	return &Certificate{
		key:        signer,
		x5t:        base64.RawURLEncoding.EncodeToString(s1[:]),
		x5tS256:    base64.RawURLEncoding.EncodeToString(s256[:]),
		Thumbprint: hex.EncodeToString(s1[:]),
	}, nil
}

func parsePEMKey(block *pem.Block, password string) (any, error) {
	der := block.Bytes
	// Legacy encrypted PEM keys (Proc-Type headers) still come out of older tooling.
	if x509.IsEncryptedPEMBlock(block) {
		var err error
		if der, err = x509.DecryptPEMBlock(block, []byte(password)); err != nil {
			return nil, fmt.Errorf("cannot decrypt the private key: check the certificate password")
		}
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		return nil, fmt.Errorf("PKCS#8-encrypted PEM keys are not supported: convert to PFX or an unencrypted PEM")
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil // refused by Parse with a message that says why
	}
	return nil, fmt.Errorf("cannot parse the %s block", block.Type)
}

// Assertion signs the client assertion JWT Entra expects for certificate credentials
// (RFC 7523): iss = sub = client id, aud = the token endpoint, a fresh jti, ten minutes' life.
func (c *Certificate) Assertion(clientID, tokenURL string, now time.Time) (string, error) {
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", err
	}
	claims := jwt.RegisteredClaims{
		Issuer:    clientID,
		Subject:   clientID,
		Audience:  jwt.ClaimStrings{tokenURL},
		ID:        hex.EncodeToString(jti[:]),
		NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(10 * time.Minute)),
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["x5t#S256"] = c.x5tS256
	tok.Header["x5t"] = c.x5t
	return tok.SignedString(c.key)
}
