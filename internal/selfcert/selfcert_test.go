package selfcert

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"nvrmenu/internal/certfp"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLoadOrCreateMakesOneCertificateForLife(t *testing.T) {
	dir := t.TempDir()
	addr := net.ParseIP("192.0.2.20")
	cert, err := LoadOrCreate(dir, []net.IP{addr}, nil)
	if err != nil {
		t.Fatal(err)
	}
	leaf := cert.Leaf
	key, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("key %T, want ECDSA P-256", leaf.PublicKey)
	}
	if !leaf.NotBefore.Equal(NotBefore) || !leaf.NotAfter.Equal(NotAfter) {
		t.Errorf("valid %v to %v, want %v to %v", leaf.NotBefore, leaf.NotAfter, NotBefore, NotAfter)
	}
	for _, host := range []string{"localhost", "127.0.0.1", "::1", "192.0.2.20"} {
		if err := leaf.VerifyHostname(host); err != nil {
			t.Errorf("not valid for %s: %v", host, err)
		}
	}
	if err := leaf.VerifyHostname("attacker.example"); err == nil {
		t.Error("valid for attacker.example")
	}
	if !SelfSigned(cert) {
		t.Error("SelfSigned = false for a generated certificate")
	}
	// A recorder that booted in 1970 still accepts it.
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	for _, at := range []time.Time{time.Unix(3600, 0), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: at, DNSName: "localhost"}); err != nil {
			t.Errorf("at %v: %v", at, err)
		}
	}
	for _, name := range []string{CertFile, KeyFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	// Kept: a later start, with other addresses, loads the same one.
	again, err := LoadOrCreate(dir, []net.IP{net.ParseIP("198.51.100.3")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if Fingerprint(again) != Fingerprint(cert) {
		t.Error("a second start made another certificate")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".web-tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestFingerprintIsTheDERsSHA256(t *testing.T) {
	cert, err := LoadOrCreate(t.TempDir(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(cert.Certificate[0])
	want := strings.ToUpper(strings.Join(strings.Split(fmt.Sprintf("% x", sum), " "), ":"))
	if got := Fingerprint(cert).String(); got != want {
		t.Errorf("Fingerprint = %s, want %s", got, want)
	}
	if !Fingerprint(tls.Certificate{}).IsZero() {
		t.Error("the fingerprint of no certificate is not empty")
	}
}

func TestRacingStartsKeepOneCertificate(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	prints := make([]certfp.Fingerprint, 4)
	errs := make([]error, 4)
	for i := range prints {
		wg.Go(func() {
			c, err := LoadOrCreate(dir, nil, nil)
			prints[i], errs[i] = Fingerprint(c), err
		})
	}
	wg.Wait()
	for i := range prints {
		if errs[i] != nil || prints[i] != prints[0] {
			t.Errorf("start %d: %s, %v; want %s", i, prints[i], errs[i], prints[0])
		}
	}
}

func TestAMissingKeyIsAnErrorNotANewCertificate(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadOrCreate(dir, nil, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, CertFile))
	os.Remove(filepath.Join(dir, KeyFile))
	if _, err := LoadOrCreate(dir, nil, nil); err == nil || !strings.Contains(err.Error(), "key") {
		t.Fatalf("err = %v, want one about the missing key", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, CertFile)); !bytes.Equal(before, after) {
		t.Error("the certificate was replaced")
	}
}

func TestLoadNamesTheFiles(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	os.WriteFile(cert, []byte("not pem"), 0o600)
	os.WriteFile(key, []byte("not pem"), 0o600)
	if _, err := Load(cert, key); err == nil || !strings.Contains(err.Error(), cert) {
		t.Fatalf("err = %v, want it to name %s", err, cert)
	}
}
