package payload

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/crypto/nacl/box"

	"nvrmenu/internal/mailaddr"
)

// The QR payload of a reserved-email challenge, byte by byte with sizes and
// a worked example in docs/qr-payload.md:
//
//	"NVRR1:" base45( keyID[8] | serialLen[1] | serial | sealedBox )
//	sealedBox = box.SealAnonymous( challengeID[16] | code[8] | created[8, int64 BE unix s]
//	                               | serialLen[1] | serial | emailLen[1] | email )
//
// The serial travels in clear so the vendor can route the request, and
// sealed so it cannot be swapped; everything else is readable only with
// the vendor's private key.

// Prefix starts every challenge payload: format and version.
const Prefix = "NVRR1:"

// FormatEpoch is when this format began: a payload dated before it was made
// by a recorder whose clock was never set (it starts at 1970).
var FormatEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	payloadMaxText   = 1024               // characters, surrounding white space included
	payloadKeyIDSize = len(KeyID{})       // 8
	payloadCodeSize  = 8                  // Crockford base32 characters
	payloadInnerMin  = 16 + 8 + 8 + 1 + 1 // id, code, created, the two lengths
	payloadMaxEmail  = 254                // RFC 5321 path limit
	payloadSpace     = " \t\n\v\f\r"      // the white space a scanner may add
	payloadSerialMax = 32                 // as ValidSerial
	payloadSealedMin = box.AnonymousOverhead + payloadInnerMin + 1 + 1
)

// Errors decoding a payload. Each is wrapped with what is wrong; check them
// with errors.Is.
var (
	ErrMalformed = errors.New("not an nvrmenu recovery QR payload")
	ErrOtherKey  = errors.New("payload sealed for another vendor key")
	ErrTampered  = errors.New("payload altered or damaged")
)

// Content is what the sealed box carries. It holds the
// verification code: String, GoString and every fmt verb leave it out.
type Content struct {
	ID      [16]byte
	Code    string // 8 characters of Crockford base32, uppercase
	Created time.Time
	Serial  string
	Email   string
}

// String describes the content without the code, and with the address
// masked.
func (c Content) String() string {
	return fmt.Sprintf("challenge %x for %s, %s", c.ID, c.Serial, mailaddr.Mask(c.Email))
}

// GoString is String, so %#v cannot print the code either.
func (c Content) GoString() string { return c.String() }

// Format prints String for every verb, so that no verb (%d, %x of the
// fields) can print the code.
func (c Content) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// Seal builds the QR text for c, sealed to pub. Created is
// kept to the second.
func Seal(pub PublicKey, c Content, rand io.Reader) (string, error) {
	if !ValidSerial(c.Serial) {
		return "", fmt.Errorf("sealing challenge payload: serial %q is not 1 to %d of A-Z 0-9 -", c.Serial, payloadSerialMax)
	}
	if !ValidCode(c.Code) {
		return "", errors.New("sealing challenge payload: code is not 8 uppercase Crockford base32 characters")
	}
	if err := mailaddr.Check(c.Email); err != nil {
		return "", fmt.Errorf("sealing challenge payload: reserved address: %w", err)
	}
	inner := make([]byte, 0, payloadInnerMin+len(c.Serial)+len(c.Email))
	inner = append(inner, c.ID[:]...)
	inner = append(inner, c.Code...)
	inner = binary.BigEndian.AppendUint64(inner, uint64(c.Created.Unix()))
	inner = append(inner, byte(len(c.Serial)))
	inner = append(inner, c.Serial...)
	inner = append(inner, byte(len(c.Email)))
	inner = append(inner, c.Email...)
	id := pub.KeyID()
	outer := make([]byte, 0, payloadKeyIDSize+1+len(c.Serial)+box.AnonymousOverhead+len(inner))
	outer = append(outer, id[:]...)
	outer = append(outer, byte(len(c.Serial)))
	outer = append(outer, c.Serial...)
	outer, err := box.SealAnonymous(outer, inner, &pub.key, rand)
	clear(inner)
	if err != nil {
		return "", fmt.Errorf("sealing challenge payload: %w", err)
	}
	return Text(outer, ""), nil
}

// Header is the clear part of a payload: which vendor key it is
// sealed for and which recorder made it.
type Header struct {
	KeyID  KeyID
	Serial string
}

// ParseHeader decodes a payload's clear part without any key and
// returns the sealed box. The text is either form (see Outer). ASCII white
// space around it (a scanner's newline) is ignored; nothing else is
// tolerated. Errors wrap ErrMalformed.
func ParseHeader(text string) (Header, []byte, error) {
	raw, err := Outer(text)
	if err != nil {
		return Header{}, nil, err
	}
	if len(raw) < payloadKeyIDSize+1 {
		return Header{}, nil, fmt.Errorf("%w: %d bytes, too short for a key id and serial length", ErrMalformed, len(raw))
	}
	var h Header
	copy(h.KeyID[:], raw)
	serialLen := int(raw[payloadKeyIDSize])
	rest := raw[payloadKeyIDSize+1:]
	if serialLen < 1 || serialLen > payloadSerialMax {
		return Header{}, nil, fmt.Errorf("%w: serial length %d, want 1 to %d", ErrMalformed, serialLen, payloadSerialMax)
	}
	if len(rest) < serialLen+payloadSealedMin {
		return Header{}, nil, fmt.Errorf("%w: %d bytes after the serial length, want at least %d", ErrMalformed, len(rest), serialLen+payloadSealedMin)
	}
	h.Serial = string(rest[:serialLen])
	if !ValidSerial(h.Serial) {
		return Header{}, nil, fmt.Errorf("%w: serial %q has characters outside A-Z 0-9 -", ErrMalformed, h.Serial)
	}
	return h, rest[serialLen:], nil
}

// Open decodes a payload and opens it with the vendor's
// key. It fails with ErrOtherKey for a payload sealed to another
// key, ErrTampered when the box does not open or its serial differs
// from the clear one, and ErrMalformed for anything else.
func (k PrivateKey) Open(text string) (Content, error) {
	h, sealed, err := ParseHeader(text)
	if err != nil {
		return Content{}, err
	}
	if mine := k.Public().KeyID(); h.KeyID != mine {
		return Content{}, fmt.Errorf("%w: sealed for key %s, this is key %s", ErrOtherKey, h.KeyID, mine)
	}
	inner, ok := box.OpenAnonymous(nil, sealed, &k.pub, &k.priv)
	if !ok {
		return Content{}, fmt.Errorf("%w: sealed box does not open", ErrTampered)
	}
	c, err := parseInner(inner)
	clear(inner)
	if err != nil {
		return Content{}, err
	}
	if c.Serial != h.Serial {
		return Content{}, fmt.Errorf("%w: sealed serial %q differs from the clear serial %q", ErrTampered, c.Serial, h.Serial)
	}
	return c, nil
}

// parseInner reads the opened box. A box that opens was sealed to
// the vendor key, but anyone holding the public key can seal, so every
// field is checked again.
func parseInner(inner []byte) (Content, error) {
	var c Content
	if len(inner) < payloadInnerMin {
		return c, fmt.Errorf("%w: sealed content of %d bytes, want at least %d", ErrMalformed, len(inner), payloadInnerMin)
	}
	copy(c.ID[:], inner[:16])
	code := string(inner[16:24])
	if !ValidCode(code) {
		return Content{}, fmt.Errorf("%w: sealed code is not 8 uppercase Crockford base32 characters", ErrMalformed)
	}
	created := int64(binary.BigEndian.Uint64(inner[24:32]))
	rest := inner[32:]
	serial, rest, ok := cutString(rest)
	if !ok || !ValidSerial(serial) {
		return Content{}, fmt.Errorf("%w: sealed serial is not 1 to %d of A-Z 0-9 -", ErrMalformed, payloadSerialMax)
	}
	email, rest, ok := cutString(rest)
	if !ok || len(email) > payloadMaxEmail {
		return Content{}, fmt.Errorf("%w: sealed address length out of range", ErrMalformed)
	}
	if err := mailaddr.Check(email); err != nil {
		return Content{}, fmt.Errorf("%w: sealed address: %v", ErrMalformed, err)
	}
	if len(rest) != 0 {
		return Content{}, fmt.Errorf("%w: %d bytes after the sealed address", ErrMalformed, len(rest))
	}
	c.Code, c.Serial, c.Email = code, serial, email
	c.Created = time.Unix(created, 0).UTC()
	return c, nil
}

// cutString reads a length byte and that many bytes.
func cutString(b []byte) (s string, rest []byte, ok bool) {
	if len(b) < 1 || len(b) < 1+int(b[0]) {
		return "", b, false
	}
	n := int(b[0])
	return string(b[1 : 1+n]), b[1+n:], true
}
