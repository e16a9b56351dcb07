package zoo

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Secured registries: CNCF Distribution behind TLS with a CA the test makes,
// with Basic auth (auth.htpasswd) or token auth (auth.token). Only the
// registry is real here; the CA and, for token auth, the token service
// (token.go) are the test's own. golang.org/x/crypto is the one dependency
// beyond the standard library, for the bcrypt hashes htpasswd needs.

// TLSSpec makes a Distribution instance serve HTTPS.
type TLSSpec struct {
	CertFile, KeyFile string // the server's certificate (for 127.0.0.1) and key
	// ClientCAFile, when set, makes the registry demand a client
	// certificate signed by it (mTLS).
	ClientCAFile string
	// RootCAs and ClientCert are what the zoo's own requests (readiness,
	// seeding) trust and present.
	RootCAs    *x509.CertPool
	ClientCert *tls.Certificate
}

// CA is a throwaway certificate authority for one test run.
type CA struct {
	File string // PEM of the CA certificate, for caFile / clientcas
	Pool *x509.CertPool
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// NewCA makes a CA and writes its certificate to dir/ca.pem.
func NewCA(dir string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("zoo: CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "ocicaps test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("zoo: CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("zoo: CA certificate: %w", err)
	}
	ca := &CA{File: filepath.Join(dir, "ca.pem"), Pool: x509.NewCertPool(), cert: cert, key: key}
	ca.Pool.AddCert(cert)
	if err := os.WriteFile(ca.File, pemBlock("CERTIFICATE", der), 0o644); err != nil {
		return nil, fmt.Errorf("zoo: writing %s: %w", ca.File, err)
	}
	return ca, nil
}

// Issue makes a certificate signed by the CA for 127.0.0.1 and localhost
// (usable by a server, and by a client for mTLS), writes it and its key as
// dir/name.pem and dir/name-key.pem, and returns the paths and the pair.
func (ca *CA) Issue(dir, name string) (certFile, keyFile string, pair tls.Certificate, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", pair, fmt.Errorf("zoo: key for %s: %w", name, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		// 127.0.0.2: the storage server of a redirected registry (redirect.go).
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(127, 0, 0, 2), net.IPv6loopback},
		DNSNames:    []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return "", "", pair, fmt.Errorf("zoo: certificate for %s: %w", name, err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", pair, fmt.Errorf("zoo: key for %s: %w", name, err)
	}
	certPEM, keyPEM := pemBlock("CERTIFICATE", der), pemBlock("PRIVATE KEY", keyDER)
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		return "", "", pair, fmt.Errorf("zoo: writing %s: %w", certFile, err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		return "", "", pair, fmt.Errorf("zoo: writing %s: %w", keyFile, err)
	}
	pair, err = tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return "", "", pair, fmt.Errorf("zoo: pair for %s: %w", name, err)
	}
	return certFile, keyFile, pair, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// writeHtpasswd writes users (name → password) as bcrypt htpasswd lines,
// the only hash Distribution accepts. MinCost keeps a run fast; these
// passwords protect nothing.
func writeHtpasswd(path string, users map[string]string) error {
	names := make([]string, 0, len(users))
	for u := range users {
		names = append(names, u)
	}
	sort.Strings(names)
	var b bytes.Buffer
	for _, u := range names {
		h, err := bcrypt.GenerateFromPassword([]byte(users[u]), bcrypt.MinCost)
		if err != nil {
			return fmt.Errorf("hashing the password of %s: %w", u, err)
		}
		fmt.Fprintf(&b, "%s:%s\n", u, h)
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}

// securityConfig renders the http.tls and auth sections of Distribution's
// config.yml for the spec (empty for a plain, open instance). It may write
// files (htpasswd) into dir.
func securityConfig(spec Spec, dir string) (tlsYAML, authYAML string, err error) {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	if t := spec.TLS; t != nil {
		tlsYAML = fmt.Sprintf("  tls:\n    certificate: %s\n    key: %s\n", q(t.CertFile), q(t.KeyFile))
		if t.ClientCAFile != "" {
			tlsYAML += fmt.Sprintf("    clientcas:\n      - %s\n", q(t.ClientCAFile))
		}
	}
	switch {
	case len(spec.Htpasswd) > 0 && spec.Token != nil:
		return "", "", fmt.Errorf("give Htpasswd or Token, not both")
	case len(spec.Htpasswd) > 0:
		path := filepath.Join(dir, "htpasswd")
		if err := writeHtpasswd(path, spec.Htpasswd); err != nil {
			return "", "", err
		}
		authYAML = fmt.Sprintf("auth:\n  htpasswd:\n    realm: ocicaps-zoo\n    path: %s\n", q(path))
	case spec.Token != nil:
		t := spec.Token
		authYAML = fmt.Sprintf("auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n",
			q(t.Realm), q(t.Service), q(t.Issuer), q(t.CertFile))
	}
	return tlsYAML, authYAML, nil
}

// httpClient is what the zoo's own requests to an instance use: the
// instance's CA and client certificate when it serves TLS.
func (s Spec) httpClient(timeout time.Duration) *http.Client {
	c := &http.Client{Timeout: timeout}
	if s.TLS != nil {
		cfg := &tls.Config{RootCAs: s.TLS.RootCAs, MinVersion: tls.VersionTLS12}
		if s.TLS.ClientCert != nil {
			cfg.Certificates = []tls.Certificate{*s.TLS.ClientCert}
		}
		c.Transport = &http.Transport{TLSClientConfig: cfg}
	}
	return c
}
