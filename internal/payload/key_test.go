package payload

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// vendorKeyTestFile is a fixed private key file; its public key and id
// below were computed independently (Python's cryptography package).
const (
	vendorKeyTestFile   = "nvrmenu vendor private key v1\nkey: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n"
	vendorKeyTestPublic = "nvrvk1:j0DFrbaPJWJK5bIU6nZ6bslNgp09e14a0bpvPiE4KF8"
	vendorKeyTestID     = "82ebaf14b38d95ce"
)

func vendorKeyTestGenerate(t testing.TB) PrivateKey {
	t.Helper()
	k, err := GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVendorKeyFixedVector(t *testing.T) {
	k, err := ParsePrivateKey([]byte(vendorKeyTestFile))
	if err != nil {
		t.Fatal(err)
	}
	if got := k.Public().String(); got != vendorKeyTestPublic {
		t.Errorf("public key %s, want %s", got, vendorKeyTestPublic)
	}
	if got := string(MarshalPrivateKey(k)); got != vendorKeyTestFile {
		t.Errorf("marshalled %q, want %q", got, vendorKeyTestFile)
	}
	if got := k.Public().KeyID().String(); got != vendorKeyTestID {
		t.Errorf("key id %s, want %s", got, vendorKeyTestID)
	}
}

func TestGenerateVendorKey(t *testing.T) {
	fixed := bytes.NewReader(bytes.Repeat([]byte{7}, 32))
	k, err := GenerateKey(fixed)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParsePrivateKey(MarshalPrivateKey(k))
	if err != nil {
		t.Fatalf("parsing a generated key file: %v", err)
	}
	if again.Public() != k.Public() {
		t.Errorf("round trip public key %s, want %s", again.Public(), k.Public())
	}
	pub, err := ParsePublicKey(k.Public().String())
	if err != nil || pub != k.Public() {
		t.Errorf("ParsePublicKey(String()) = %s, %v; want %s", pub, err, k.Public())
	}
	if _, err := GenerateKey(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Error("GenerateKey with 31 random bytes: got no error, want one")
	}
}

func TestVendorPrivateKeyNeverPrints(t *testing.T) {
	k, err := ParsePrivateKey([]byte(vendorKeyTestFile))
	if err != nil {
		t.Fatal(err)
	}
	secretB64 := strings.TrimSuffix(strings.SplitN(vendorKeyTestFile, "key: ", 2)[1], "\n")
	want := "vendor private key " + k.Public().KeyID().String()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		t.Run(verb, func(t *testing.T) {
			got := fmt.Sprintf(verb, k)
			if strings.Contains(got, secretB64) || strings.Contains(got, "[0 1 2 3") || strings.Contains(got, "000102030405") || !strings.Contains(got, want) {
				t.Errorf("Sprintf(%q) = %q, want only %q", verb, got, want)
			}
		})
	}
	inside := fmt.Sprintf("%+v", struct{ Key PrivateKey }{k})
	if !strings.Contains(inside, want) || strings.Contains(inside, "[0 1 2") {
		t.Errorf("key inside a struct printed as %q, want %q", inside, want)
	}
}

func TestParseVendorPublicKeyRefuses(t *testing.T) {
	zero := "nvrvk1:" + base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	one := make([]byte, 32)
	one[0] = 1 // u = 1: a low-order point
	for _, tc := range []struct{ name, text string }{
		{"empty", ""},
		{"prefix only", "nvrvk1:"},
		{"other version", "nvrvk2:" + vendorKeyTestPublic[7:]},
		{"uppercase prefix", "NVRVK1:" + vendorKeyTestPublic[7:]},
		{"padded", vendorKeyTestPublic + "="},
		{"one more character", vendorKeyTestPublic + "A"},
		{"one less character", vendorKeyTestPublic[:len(vendorKeyTestPublic)-1]},
		{"standard base64", "nvrvk1:" + base64.RawStdEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32))},
		{"non-canonical last character", vendorKeyTestPublic[:len(vendorKeyTestPublic)-1] + "9"},
		{"trailing newline", vendorKeyTestPublic + "\n"},
		{"leading space", " " + vendorKeyTestPublic},
		{"all zeros", zero},
		{"low-order point", "nvrvk1:" + base64.RawURLEncoding.EncodeToString(one)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParsePublicKey(tc.text); !errors.Is(err, ErrKey) {
				t.Errorf("ParsePublicKey(%q) error %v, want ErrKey", tc.text, err)
			}
		})
	}
}

func TestParseVendorPrivateKeyRefuses(t *testing.T) {
	good := vendorKeyTestFile
	for _, tc := range []struct{ name, file string }{
		{"empty", ""},
		{"header only", "nvrmenu vendor private key v1\n"},
		{"no final newline", strings.TrimSuffix(good, "\n")},
		{"CRLF", strings.ReplaceAll(good, "\n", "\r\n")},
		{"other version", strings.Replace(good, "v1", "v2", 1)},
		{"extra line", good + "comment: x\n"},
		{"extra blank line", good + "\n"},
		{"leading blank line", "\n" + good},
		{"field renamed", strings.Replace(good, "key: ", "priv: ", 1)},
		{"space before key", strings.Replace(good, "key: ", "key:  ", 1)},
		{"short key", strings.Replace(good, "AAEC", "", 1)},
		{"padded key", strings.Replace(good, "Hh8\n", "Hh8=\n", 1)},
		{"non-canonical key", strings.Replace(good, "Hh8\n", "Hh9\n", 1)},
		{"text after the last line", good + "x"},
		{"over 1 KiB", good + strings.Repeat("#", 1024)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParsePrivateKey([]byte(tc.file)); !errors.Is(err, ErrKey) {
				t.Errorf("ParsePrivateKey(%q) error %v, want ErrKey", tc.file, err)
			}
		})
	}
}
