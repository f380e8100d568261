// Package keyring is the recovery service's only user of the vendor's
// private key: it opens a recorder's sealed payload, and does nothing
// else.
//
// The mail and phone parts of the service call Open and never see the key,
// so that the key can later move to a separate process or an HSM behind
// the same method without touching them. It never prints the key or a
// code (payload.Content hides its code from every fmt verb).
package keyring

import (
	"fmt"
	"io"
	"os"

	"nvrmenu/internal/payload"
)

// Keyring holds the vendor's private key.
type Keyring struct{ key payload.PrivateKey }

// New wraps a private key.
func New(k payload.PrivateKey) *Keyring { return &Keyring{key: k} }

// maxKeyFile bounds the key file read (it is two short lines).
const maxKeyFile = 4096

// Load reads the private key file recovery-issuer keygen wrote.
func Load(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vendor key: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("vendor key %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("vendor key %s: larger than %d bytes", path, maxKeyFile)
	}
	k, err := payload.ParsePrivateKey(data)
	clear(data)
	if err != nil {
		return nil, fmt.Errorf("vendor key %s: %w", path, err)
	}
	return New(k), nil
}

// KeyID names the key (public), for the log.
func (k *Keyring) KeyID() payload.KeyID { return k.key.Public().KeyID() }

// Open opens a payload's text, in either form (docs/qr-payload.md). Its
// errors wrap payload.ErrMalformed, ErrOtherKey or ErrTampered.
func (k *Keyring) Open(text string) (payload.Content, error) {
	return k.key.Open(text)
}
