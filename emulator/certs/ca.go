package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// EnvCADir overrides where the CA is kept (tests and CI point it at a temporary folder).
const EnvCADir = "MAILSCRIPT_EMULATOR_CA_DIR"

// The CA's file names inside its folder.
const (
	CAFileName  = "emulator-ca.pem"
	keyFileName = "emulator-ca-key.pem"
)

// CA is the emulator's certificate authority.
type CA struct {
	// File is the PEM certificate applications trust (MAILSCRIPT_CA_FILE, NODE_EXTRA_CA_CERTS).
	File string
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// DefaultDir is EnvCADir when set, else the mailscript folder in os.UserConfigDir.
func DefaultDir(getenv func(string) string) (string, error) {
	if d := getenv(EnvCADir); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("emulator: no config folder for the CA (%w): set %s to a folder", err, EnvCADir)
	}
	return filepath.Join(base, "mailscript"), nil
}

// LoadOrCreateCA reads the CA kept in dir, or creates it there the first time (key file mode
// 0600). A CA that has expired or is unreadable is an error naming the files to delete.
func LoadOrCreateCA(dir string) (*CA, error) {
	certPath, keyPath := filepath.Join(dir, CAFileName), filepath.Join(dir, keyFileName)
	certPEM, cerr := os.ReadFile(certPath)
	keyPEM, kerr := os.ReadFile(keyPath)
	if errors.Is(cerr, os.ErrNotExist) && errors.Is(kerr, os.ErrNotExist) {
		return createCA(dir, certPath, keyPath)
	}
	if cerr != nil || kerr != nil {
		return nil, fmt.Errorf("emulator: read the CA in %s: %w (delete %s and %s to make a new one)", dir, errors.Join(cerr, kerr), CAFileName, keyFileName)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("emulator: the CA in %s is unusable: %w (delete %s and %s to make a new one)", dir, err, CAFileName, keyFileName)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok || pair.Leaf == nil || !pair.Leaf.IsCA {
		return nil, fmt.Errorf("emulator: %s is not an emulator CA (delete %s and %s to make a new one)", certPath, CAFileName, keyFileName)
	}
	if time.Now().After(pair.Leaf.NotAfter) {
		return nil, fmt.Errorf("emulator: the CA in %s expired on %s (delete %s and %s to make a new one)", dir, pair.Leaf.NotAfter.Format(time.DateOnly), CAFileName, keyFileName)
	}
	return &CA{File: certPath, cert: pair.Leaf, key: key}, nil
}

func createCA(dir, certPath, keyPath string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"mailscript"}, CommonName: "mailscript emulator CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("emulator: create the CA folder: %w", err)
	}
	// The key first, created exclusively: two emulators starting at once must not both win.
	if err := writeNew(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		if errors.Is(err, os.ErrExist) {
			time.Sleep(100 * time.Millisecond) // the other writer finishes its certificate
			return LoadOrCreateCA(dir)
		}
		return nil, fmt.Errorf("emulator: write the CA key: %w", err)
	}
	if err := writeNew(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return nil, fmt.Errorf("emulator: write the CA certificate: %w", err)
	}
	return &CA{File: certPath, cert: cert, key: key}, nil
}

func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}

// Leaf issues a server certificate for 127.0.0.1, ::1 and localhost, valid for a week.
func (ca *CA) Leaf() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{"mailscript"}, CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(0, 0, 7),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// Pool is a pool holding only the CA, for clients in tests.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}
