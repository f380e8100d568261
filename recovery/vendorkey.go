package recovery

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/curve25519"
)

// The vendor's X25519 key pair seals reserved-email challenges
// (golang.org/x/crypto/nacl/box anonymous sealing). Recorders hold only the
// public key: no fleet-wide secret lives on a device (the lesson of
// CVE-2017-7921). The private key stays with the vendor (recovery-issuer).

const vendorPublicKeyPrefix = "nvrvk1:"

// ErrVendorKey reports a malformed vendor key.
var ErrVendorKey = errors.New("malformed vendor key")

// KeyID names a vendor public key inside QR payloads: the first 8 bytes of
// SHA-256("nvrmenu vendor key id v1" || public key).
type KeyID [8]byte

func (id KeyID) String() string { return hex.EncodeToString(id[:]) }

// VendorPublicKey is the vendor's public key as the config gives it.
type VendorPublicKey struct{ key [32]byte }

// ParseVendorPublicKey reads the text form "nvrvk1:" followed by the
// unpadded base64url encoding of the 32-byte key.
func ParseVendorPublicKey(s string) (VendorPublicKey, error) {
	var k VendorPublicKey
	body, ok := strings.CutPrefix(s, vendorPublicKeyPrefix)
	if !ok {
		return k, fmt.Errorf("%w: want the form %s<base64url>", ErrVendorKey, vendorPublicKeyPrefix)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(body)
	if err != nil || len(raw) != 32 {
		return k, fmt.Errorf("%w: want 32 bytes of unpadded base64url", ErrVendorKey)
	}
	copy(k.key[:], raw)
	return k, nil
}

// String gives the text form the config takes.
func (k VendorPublicKey) String() string {
	return vendorPublicKeyPrefix + base64.RawURLEncoding.EncodeToString(k.key[:])
}

// KeyID identifies the key.
func (k VendorPublicKey) KeyID() KeyID {
	h := sha256.New()
	h.Write([]byte("nvrmenu vendor key id v1"))
	h.Write(k.key[:])
	var id KeyID
	copy(id[:], h.Sum(nil))
	return id
}

// VendorPrivateKey is the vendor's private key. It never prints.
type VendorPrivateKey struct {
	pub, priv [32]byte
}

// GenerateVendorKey makes a new key pair.
func GenerateVendorKey(rand io.Reader) (VendorPrivateKey, error) {
	var k VendorPrivateKey
	if _, err := io.ReadFull(rand, k.priv[:]); err != nil {
		return k, fmt.Errorf("reading random key: %w", err)
	}
	pub, err := curve25519.X25519(k.priv[:], curve25519.Basepoint)
	if err != nil {
		return k, err
	}
	copy(k.pub[:], pub)
	return k, nil
}

// Public returns the public half.
func (k VendorPrivateKey) Public() VendorPublicKey { return VendorPublicKey{key: k.pub} }

// String names the key by its id only.
func (k VendorPrivateKey) String() string {
	return "vendor private key " + k.Public().KeyID().String()
}

// GoString is String, so %#v cannot print the key either.
func (k VendorPrivateKey) GoString() string { return k.String() }

const vendorPrivateKeyHeader = "nvrmenu vendor private key v1"

// MarshalVendorPrivateKey renders the private key file.
func MarshalVendorPrivateKey(k VendorPrivateKey) []byte {
	return fmt.Appendf(nil, "%s\nkey: %s\n", vendorPrivateKeyHeader, base64.RawURLEncoding.EncodeToString(k.priv[:]))
}

// ParseVendorPrivateKey reads a private key file strictly.
func ParseVendorPrivateKey(data []byte) (VendorPrivateKey, error) {
	var k VendorPrivateKey
	if len(data) > 1024 {
		return k, fmt.Errorf("%w: file larger than 1 KiB", ErrVendorKey)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 2 || lines[0] != vendorPrivateKeyHeader || !strings.HasPrefix(lines[1], "key: ") {
		return k, fmt.Errorf("%w: not an nvrmenu vendor private key file", ErrVendorKey)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimPrefix(lines[1], "key: "))
	if err != nil || len(raw) != 32 {
		return k, fmt.Errorf("%w: key is not 32 bytes of unpadded base64url", ErrVendorKey)
	}
	copy(k.priv[:], raw)
	pub, err := curve25519.X25519(k.priv[:], curve25519.Basepoint)
	if err != nil {
		return k, fmt.Errorf("%w: %v", ErrVendorKey, err)
	}
	copy(k.pub[:], pub)
	if bytes.Equal(k.pub[:], make([]byte, 32)) {
		return k, fmt.Errorf("%w: degenerate key", ErrVendorKey)
	}
	return k, nil
}
