package recovery

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"

	"nvrmenu/recovery/internal/base45"
)

// The QR payload of a reserved-email challenge, byte by byte in
// docs/qr-payload.md:
//
//	"NVRR1:" base45( keyID[8] | serialLen[1] | serial | sealedBox )
//	sealedBox = box.SealAnonymous( challengeID[16] | code[8] | created[8, int64 BE unix s]
//	                               | serialLen[1] | serial | emailLen[1] | email )
//
// The serial travels in clear so the vendor can route the request, and
// sealed so it cannot be swapped; everything else is readable only with
// the vendor's private key.

// PayloadPrefix starts every challenge payload: format and version.
const PayloadPrefix = "NVRR1:"

const maxPayloadText = 1024

// Errors decoding a payload.
var (
	ErrPayloadMalformed = errors.New("not an nvrmenu recovery QR payload")
	ErrPayloadOtherKey  = errors.New("payload sealed for another vendor key")
	ErrPayloadTampered  = errors.New("payload altered or damaged")
)

// ChallengeContent is what the sealed box carries. It holds the code:
// String never prints it.
type ChallengeContent struct {
	ID      [16]byte
	Code    string
	Created time.Time
	Serial  string
	Email   string
}

// String describes the content without the code.
func (c ChallengeContent) String() string {
	return fmt.Sprintf("challenge %x for %s, %s", c.ID, c.Serial, MaskEmail(c.Email))
}

// GoString is String, so %#v cannot print the code either.
func (c ChallengeContent) GoString() string { return c.String() }

// SealChallengePayload builds the QR text for c, sealed to pub.
func SealChallengePayload(pub VendorPublicKey, c ChallengeContent, rand io.Reader) (string, error) {
	if !validSerial(c.Serial) || len(c.Email) == 0 || len(c.Email) > 254 || len(c.Code) != 8 {
		return "", fmt.Errorf("%w: content out of range", ErrPayloadMalformed)
	}
	var inner []byte
	inner = append(inner, c.ID[:]...)
	inner = append(inner, c.Code...)
	inner = binary.BigEndian.AppendUint64(inner, uint64(c.Created.Unix()))
	inner = append(inner, byte(len(c.Serial)))
	inner = append(inner, c.Serial...)
	inner = append(inner, byte(len(c.Email)))
	inner = append(inner, c.Email...)
	sealed, err := box.SealAnonymous(nil, inner, &pub.key, rand)
	if err != nil {
		return "", fmt.Errorf("sealing challenge: %w", err)
	}
	id := pub.KeyID()
	outer := append([]byte{}, id[:]...)
	outer = append(outer, byte(len(c.Serial)))
	outer = append(outer, c.Serial...)
	outer = append(outer, sealed...)
	return PayloadPrefix + base45.Encode(outer), nil
}

// PayloadHeader is the clear part of a payload.
type PayloadHeader struct {
	KeyID  KeyID
	Serial string
}

// ParsePayloadHeader decodes a payload's clear part without any key and
// returns the sealed box. Surrounding white space (a scanner's newline) is
// ignored; nothing else is tolerated.
func ParsePayloadHeader(text string) (PayloadHeader, []byte, error) {
	var h PayloadHeader
	if len(text) > maxPayloadText {
		return h, nil, fmt.Errorf("%w: longer than %d characters", ErrPayloadMalformed, maxPayloadText)
	}
	body, ok := strings.CutPrefix(strings.TrimSpace(text), PayloadPrefix)
	if !ok {
		return h, nil, fmt.Errorf("%w: does not start with %s", ErrPayloadMalformed, PayloadPrefix)
	}
	raw, err := base45.Decode(body)
	if err != nil {
		return h, nil, fmt.Errorf("%w: %v", ErrPayloadMalformed, err)
	}
	if len(raw) < 9 {
		return h, nil, fmt.Errorf("%w: too short", ErrPayloadMalformed)
	}
	copy(h.KeyID[:], raw[:8])
	n := int(raw[8])
	if len(raw) < 9+n+box.AnonymousOverhead {
		return h, nil, fmt.Errorf("%w: too short", ErrPayloadMalformed)
	}
	h.Serial = string(raw[9 : 9+n])
	if !validSerial(h.Serial) {
		return h, nil, fmt.Errorf("%w: bad serial", ErrPayloadMalformed)
	}
	return h, raw[9+n:], nil
}

// OpenChallengePayload decodes and opens a payload with the vendor's key.
func (k VendorPrivateKey) OpenChallengePayload(text string) (ChallengeContent, error) {
	var c ChallengeContent
	h, sealed, err := ParsePayloadHeader(text)
	if err != nil {
		return c, err
	}
	if mine := k.Public().KeyID(); h.KeyID != mine {
		return c, fmt.Errorf("%w: payload key %s, this key %s", ErrPayloadOtherKey, h.KeyID, mine)
	}
	inner, ok := box.OpenAnonymous(nil, sealed, &k.pub, &k.priv)
	if !ok {
		return c, ErrPayloadTampered
	}
	r := bytes.NewReader(inner)
	var created uint64
	code := make([]byte, 8)
	if _, err := io.ReadFull(r, c.ID[:]); err != nil {
		return c, ErrPayloadTampered
	}
	if _, err := io.ReadFull(r, code); err != nil {
		return c, ErrPayloadTampered
	}
	if err := binary.Read(r, binary.BigEndian, &created); err != nil {
		return c, ErrPayloadTampered
	}
	serial, err1 := payloadString(r)
	email, err2 := payloadString(r)
	if err1 != nil || err2 != nil || r.Len() != 0 {
		return c, fmt.Errorf("%w: bad sealed content", ErrPayloadTampered)
	}
	if serial != h.Serial {
		return c, fmt.Errorf("%w: sealed serial differs from the clear one", ErrPayloadTampered)
	}
	if _, err := ParseVerificationCode(string(code)); err != nil || strings.ToUpper(string(code)) != string(code) {
		return c, fmt.Errorf("%w: bad code", ErrPayloadTampered)
	}
	if ValidateEmail(email) != nil {
		return c, fmt.Errorf("%w: bad email", ErrPayloadTampered)
	}
	c.Code, c.Serial, c.Email = string(code), serial, email
	c.Created = time.Unix(int64(created), 0).UTC()
	return c, nil
}

func payloadString(r *bytes.Reader) (string, error) {
	n, err := r.ReadByte()
	if err != nil {
		return "", err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return string(b), nil
}
