package payload

import (
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

const (
	vendorKeyPublicPrefix  = "nvrvk1:"
	vendorKeyPrivateHeader = "nvrmenu vendor private key v1"
	vendorKeyPrivateField  = "key: "
	vendorKeyIDContext     = "nvrmenu vendor key id v1"
	vendorKeyMaxFile       = 1024
)

// ErrKey reports a malformed vendor key or key file.
var ErrKey = errors.New("malformed vendor key")

// KeyID names a vendor public key inside QR payloads: the first 8 bytes of
// SHA-256("nvrmenu vendor key id v1" || public key).
type KeyID [8]byte

// String gives the id as 16 lowercase hex digits.
func (id KeyID) String() string { return hex.EncodeToString(id[:]) }

// PublicKey is the vendor's X25519 public key, as the config gives it.
// The zero value is not a usable key.
type PublicKey struct{ key [32]byte }

// ParsePublicKey reads the text form "nvrvk1:" followed by the
// unpadded base64url encoding of the 32-byte key; nothing else is accepted.
func ParsePublicKey(s string) (PublicKey, error) {
	var k PublicKey
	body, ok := strings.CutPrefix(s, vendorKeyPublicPrefix)
	if !ok {
		return k, fmt.Errorf("%w: public key does not start with %s", ErrKey, vendorKeyPublicPrefix)
	}
	// The length check also keeps out the newlines the decoder skips.
	raw, err := base64.RawURLEncoding.Strict().DecodeString(body)
	if err != nil || len(raw) != len(k.key) || len(body) != base64.RawURLEncoding.EncodedLen(len(k.key)) {
		return k, fmt.Errorf("%w: public key is not 32 bytes of unpadded base64url after %s", ErrKey, vendorKeyPublicPrefix)
	}
	copy(k.key[:], raw)
	// A low-order point (all zeros among them) would make every sealed
	// payload readable by anyone: X25519 with it gives the all-zero secret,
	// which curve25519.X25519 refuses whatever the scalar.
	probe := [32]byte{0: 9, 31: 0x40}
	if _, err := curve25519.X25519(probe[:], k.key[:]); err != nil {
		return PublicKey{}, fmt.Errorf("%w: public key is a low-order point", ErrKey)
	}
	return k, nil
}

// String gives the text form the config takes: "nvrvk1:" and 43 base64url
// characters.
func (k PublicKey) String() string {
	return vendorKeyPublicPrefix + base64.RawURLEncoding.EncodeToString(k.key[:])
}

// KeyID identifies the key.
func (k PublicKey) KeyID() KeyID {
	h := sha256.New()
	h.Write([]byte(vendorKeyIDContext))
	h.Write(k.key[:])
	var id KeyID
	copy(id[:], h.Sum(nil))
	return id
}

// PrivateKey is the vendor's X25519 private key with its public half.
// It is a secret: every fmt verb prints only "vendor private key <key id>",
// and values cannot be compared with == (compare their Public halves).
type PrivateKey struct {
	_         [0]func() // not comparable
	pub, priv [32]byte
}

// GenerateKey makes a new key pair from 32 bytes of rand.
func GenerateKey(rand io.Reader) (PrivateKey, error) {
	var priv [32]byte
	if _, err := io.ReadFull(rand, priv[:]); err != nil {
		return PrivateKey{}, fmt.Errorf("generating vendor key: reading random bytes: %w", err)
	}
	k, err := keyFromPrivate(priv)
	if err != nil {
		return PrivateKey{}, fmt.Errorf("generating vendor key: %w", err)
	}
	return k, nil
}

// keyFromPrivate derives the public half of priv.
func keyFromPrivate(priv [32]byte) (PrivateKey, error) {
	pub, err := curve25519.X25519(priv[:], curve25519.Basepoint)
	if err != nil {
		return PrivateKey{}, fmt.Errorf("%w: deriving the public key: %v", ErrKey, err)
	}
	k := PrivateKey{priv: priv}
	copy(k.pub[:], pub)
	return k, nil
}

// Public returns the public half.
func (k PrivateKey) Public() PublicKey { return PublicKey{key: k.pub} }

// String names the key by its id only.
func (k PrivateKey) String() string {
	return "vendor private key " + k.Public().KeyID().String()
}

// GoString is String, so %#v cannot print the key either.
func (k PrivateKey) GoString() string { return k.String() }

// Format prints String for every verb, so that no verb (%d, %x of the
// fields) can print the key bytes.
func (k PrivateKey) Format(f fmt.State, verb rune) { io.WriteString(f, k.String()) }

// MarshalPrivateKey renders the private key file: the line
// "nvrmenu vendor private key v1", then "key: " and the unpadded base64url
// private key, each line newline-terminated.
func MarshalPrivateKey(k PrivateKey) []byte {
	return fmt.Appendf(nil, "%s\n%s%s\n", vendorKeyPrivateHeader, vendorKeyPrivateField, base64.RawURLEncoding.EncodeToString(k.priv[:]))
}

// ParsePrivateKey reads a private key file as MarshalPrivateKey
// writes it, byte for byte (at most 1 KiB, no other line, no carriage
// return, final newline), and derives the public half from the private key.
func ParsePrivateKey(data []byte) (PrivateKey, error) {
	if len(data) > vendorKeyMaxFile {
		return PrivateKey{}, fmt.Errorf("%w: key file larger than %d bytes", ErrKey, vendorKeyMaxFile)
	}
	body, ok := strings.CutPrefix(string(data), vendorKeyPrivateHeader+"\n")
	if !ok {
		return PrivateKey{}, fmt.Errorf("%w: key file does not start with the line %q", ErrKey, vendorKeyPrivateHeader)
	}
	body, ok = strings.CutPrefix(body, vendorKeyPrivateField)
	if !ok {
		return PrivateKey{}, fmt.Errorf("%w: key file second line does not start with %q", ErrKey, vendorKeyPrivateField)
	}
	encoded, ok := strings.CutSuffix(body, "\n")
	if !ok || strings.ContainsAny(encoded, "\r\n") { // the decoder would skip them
		return PrivateKey{}, fmt.Errorf("%w: key file must be exactly two newline-terminated lines", ErrKey)
	}
	var priv [32]byte
	raw, err := base64.RawURLEncoding.Strict().DecodeString(encoded)
	if err != nil || len(raw) != len(priv) {
		return PrivateKey{}, fmt.Errorf("%w: key file key is not 32 bytes of unpadded base64url", ErrKey)
	}
	copy(priv[:], raw)
	return keyFromPrivate(priv)
}
