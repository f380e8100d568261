// Package selfcert makes and keeps the web door's self-signed TLS
// certificate: an ECDSA P-256 key and certificate generated once, at the
// first start, and kept in the state directory (mode 0600) for the
// device's life, since its addresses change with DHCP while installers
// compare its fingerprint.
//
// The certificate is valid for localhost and the addresses given when it
// is made, from long before any clock a recorder may boot with (1970) to
// far ahead, so that neither a missing RTC battery nor the years make a
// browser refuse it on dates. The package also loads a certificate the
// firmware provides, and gives the SHA-256 fingerprint of a certificate's
// DER, which is what browsers show.
package selfcert

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/certfp"
	"nvrmenu/internal/regfile"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// The files kept in the state directory.
const (
	CertFile = "web-cert.pem"
	KeyFile  = "web-key.pem"
	// LockFile serialises the starts that look for the pair.
	LockFile = ".web-cert.lock"
)

// The validity of a generated certificate: from 1970 (a recorder without
// RTC battery boots there) to the end of 9999, which X.509 calls "no
// well-defined expiration date" (RFC 5280 §4.1.2.5).
var (
	NotBefore = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	NotAfter  = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// LoadOrCreate returns the certificate kept in dir, making it first when
// dir has none. A new one is valid for localhost, the loopback addresses
// and addrs (the device's addresses at first start). random is the entropy
// source (crypto/rand when nil). Starts racing on one directory (a daemon
// and nvr-menud -fingerprint, say) take turns on a lock file beside the
// pair, so the pair on disk is always one key and its certificate.
func LoadOrCreate(dir string, addrs []net.IP, random io.Reader) (tls.Certificate, error) {
	lock, err := regfile.OpenFile(filepath.Join(dir, LockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("web certificate: %w", err)
	}
	defer lock.Close() // and the lock with it
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return tls.Certificate{}, fmt.Errorf("web certificate: locking %s: %w", lock.Name(), err)
	}
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	cert, err := load(certPath, keyPath, regfile.ReadFile)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return cert, err
	}
	if _, certErr := os.Stat(certPath); certErr == nil {
		// The certificate is there but its key is not: making a new pair
		// would silently change the fingerprint installers wrote down.
		return tls.Certificate{}, err
	}
	certPEM, keyPEM, err := Generate(addrs, random)
	if err != nil {
		return tls.Certificate{}, err
	}
	// The key first: a certificate on disk always has its key beside it.
	if err := writeNew(keyPath, keyPEM); err != nil {
		return tls.Certificate{}, err
	}
	if err := writeNew(certPath, certPEM); err != nil {
		return tls.Certificate{}, err
	}
	return load(certPath, keyPath, regfile.ReadFile)
}

// maxPEM bounds a certificate chain or key file read.
const maxPEM = 1 << 20

// Load reads a PEM certificate (chain) and its key, files a person
// configured: a symbolic link there is followed, but only to a regular
// file, and nothing waits on a FIFO. The pair LoadOrCreate keeps in the
// state directory is read without following links at all.
func Load(certPath, keyPath string) (tls.Certificate, error) {
	return load(certPath, keyPath, regfile.ReadLinked)
}

func load(certPath, keyPath string, read func(string, int64) ([]byte, error)) (tls.Certificate, error) {
	certPEM, err := read(certPath, maxPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("web certificate: %w", err)
	}
	keyPEM, err := read(keyPath, maxPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("web certificate key: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("web certificate %s with key %s: %w", certPath, keyPath, err)
	}
	if cert.Leaf == nil {
		if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return tls.Certificate{}, fmt.Errorf("web certificate %s: %w", certPath, err)
		}
	}
	return cert, nil
}

// Generate makes a self-signed ECDSA P-256 certificate for localhost, the
// loopback addresses and addrs, and returns it and its key in PEM. random
// is the entropy source (crypto/rand when nil).
func Generate(addrs []net.IP, random io.Reader) (certPEM, keyPEM []byte, err error) {
	if random == nil {
		random = rand.Reader
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), random)
	if err != nil {
		return nil, nil, fmt.Errorf("web certificate: making the key: %w", err)
	}
	serial, err := rand.Int(random, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("web certificate: drawing a serial: %w", err)
	}
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	for _, a := range addrs {
		if a != nil && !a.IsLoopback() && !a.IsUnspecified() {
			ips = append(ips, a)
		}
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "nvr-menud", Organization: []string{"nvrmenu recorder (self-signed)"}},
		NotBefore:             NotBefore,
		NotAfter:              NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(random, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("web certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("web certificate: encoding the key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// writeNew writes data to path, mode 0600, whole (atomicfile).
// LoadOrCreate calls it, under its lock, only while no certificate is there
// (a key left by a start cut short before writing its certificate is
// replaced: it never served).
func writeNew(path string, data []byte) error {
	if err := atomicfile.Write(path, data, atomicfile.Options{Replace: true, TempPrefix: ".web-tmp-"}); err != nil {
		return fmt.Errorf("web certificate: %w", err)
	}
	return nil
}

// Fingerprint is the certificate's fingerprint (of its leaf); zero for
// a certificate with none.
func Fingerprint(cert tls.Certificate) certfp.Fingerprint {
	if len(cert.Certificate) == 0 {
		return certfp.Fingerprint{}
	}
	return certfp.Of(cert.Certificate[0])
}

// SelfSigned reports whether cert signs itself (no HSTS is sent then: a
// browser could no longer pass its warning).
func SelfSigned(cert tls.Certificate) bool {
	leaf := cert.Leaf
	if leaf == nil {
		var err error
		if len(cert.Certificate) == 0 {
			return false
		}
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return false
		}
	}
	return bytes.Equal(leaf.RawIssuer, leaf.RawSubject) &&
		leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil
}

// LocalAddrs lists the device's unicast addresses, loopback excluded, for
// a new certificate and the web door's Host check. An error listing them
// (no network yet) gives none.
func LocalAddrs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() {
			ips = append(ips, n.IP)
		}
	}
	return ips
}
