package recovery

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"

	"nvrmenu/recovery/internal/base45"
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

// PayloadPrefix starts every challenge payload: format and version.
const PayloadPrefix = "NVRR1:"

const (
	payloadMaxText   = 1024               // characters, surrounding white space included
	payloadKeyIDSize = len(KeyID{})       // 8
	payloadCodeSize  = 8                  // Crockford base32 characters
	payloadInnerMin  = 16 + 8 + 8 + 1 + 1 // id, code, created, the two lengths
	payloadMaxEmail  = 254                // RFC 5321 path limit
	payloadSpace     = " \t\n\v\f\r"      // the white space a scanner may add
	payloadSerialMax = 32                 // as validSerial
	payloadSealedMin = box.AnonymousOverhead + payloadInnerMin + 1 + 1
)

// Errors decoding a payload. Each is wrapped with what is wrong; check them
// with errors.Is.
var (
	ErrPayloadMalformed = errors.New("not an nvrmenu recovery QR payload")
	ErrPayloadOtherKey  = errors.New("payload sealed for another vendor key")
	ErrPayloadTampered  = errors.New("payload altered or damaged")
)

// ChallengeContent is what the sealed box carries. It holds the
// verification code: String, GoString and every fmt verb leave it out.
type ChallengeContent struct {
	ID      [16]byte
	Code    string // 8 characters of Crockford base32, uppercase
	Created time.Time
	Serial  string
	Email   string
}

// String describes the content without the code, and with the address
// masked.
func (c ChallengeContent) String() string {
	return fmt.Sprintf("challenge %x for %s, %s", c.ID, c.Serial, MaskEmail(c.Email))
}

// GoString is String, so %#v cannot print the code either.
func (c ChallengeContent) GoString() string { return c.String() }

// Format prints String for every verb, so that no verb (%d, %x of the
// fields) can print the code.
func (c ChallengeContent) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// SealChallengePayload builds the QR text for c, sealed to pub. Created is
// kept to the second.
func SealChallengePayload(pub VendorPublicKey, c ChallengeContent, rand io.Reader) (string, error) {
	if !validSerial(c.Serial) {
		return "", fmt.Errorf("sealing challenge payload: serial %q is not 1 to %d of A-Z 0-9 -", c.Serial, payloadSerialMax)
	}
	if !payloadValidCode(c.Code) {
		return "", errors.New("sealing challenge payload: code is not 8 uppercase Crockford base32 characters")
	}
	if err := ValidateEmail(c.Email); err != nil {
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
	return PayloadPrefix + base45.Encode(outer), nil
}

// PayloadHeader is the clear part of a payload: which vendor key it is
// sealed for and which recorder made it.
type PayloadHeader struct {
	KeyID  KeyID
	Serial string
}

// ParsePayloadHeader decodes a payload's clear part without any key and
// returns the sealed box. ASCII white space around the text (a scanner's
// newline) is ignored; nothing else is tolerated. Errors wrap
// ErrPayloadMalformed.
func ParsePayloadHeader(text string) (PayloadHeader, []byte, error) {
	if len(text) > payloadMaxText {
		return PayloadHeader{}, nil, fmt.Errorf("%w: %d characters, want at most %d", ErrPayloadMalformed, len(text), payloadMaxText)
	}
	body, ok := strings.CutPrefix(strings.Trim(text, payloadSpace), PayloadPrefix)
	if !ok {
		return PayloadHeader{}, nil, fmt.Errorf("%w: does not start with %s", ErrPayloadMalformed, PayloadPrefix)
	}
	raw, err := base45.Decode(body)
	if err != nil {
		return PayloadHeader{}, nil, fmt.Errorf("%w: %v", ErrPayloadMalformed, err)
	}
	if len(raw) < payloadKeyIDSize+1 {
		return PayloadHeader{}, nil, fmt.Errorf("%w: %d bytes, too short for a key id and serial length", ErrPayloadMalformed, len(raw))
	}
	var h PayloadHeader
	copy(h.KeyID[:], raw)
	serialLen := int(raw[payloadKeyIDSize])
	rest := raw[payloadKeyIDSize+1:]
	if serialLen < 1 || serialLen > payloadSerialMax {
		return PayloadHeader{}, nil, fmt.Errorf("%w: serial length %d, want 1 to %d", ErrPayloadMalformed, serialLen, payloadSerialMax)
	}
	if len(rest) < serialLen+payloadSealedMin {
		return PayloadHeader{}, nil, fmt.Errorf("%w: %d bytes after the serial length, want at least %d", ErrPayloadMalformed, len(rest), serialLen+payloadSealedMin)
	}
	h.Serial = string(rest[:serialLen])
	if !validSerial(h.Serial) {
		return PayloadHeader{}, nil, fmt.Errorf("%w: serial %q has characters outside A-Z 0-9 -", ErrPayloadMalformed, h.Serial)
	}
	return h, rest[serialLen:], nil
}

// OpenChallengePayload decodes a payload and opens it with the vendor's
// key. It fails with ErrPayloadOtherKey for a payload sealed to another
// key, ErrPayloadTampered when the box does not open or its serial differs
// from the clear one, and ErrPayloadMalformed for anything else.
func (k VendorPrivateKey) OpenChallengePayload(text string) (ChallengeContent, error) {
	h, sealed, err := ParsePayloadHeader(text)
	if err != nil {
		return ChallengeContent{}, err
	}
	if mine := k.Public().KeyID(); h.KeyID != mine {
		return ChallengeContent{}, fmt.Errorf("%w: sealed for key %s, this is key %s", ErrPayloadOtherKey, h.KeyID, mine)
	}
	inner, ok := box.OpenAnonymous(nil, sealed, &k.pub, &k.priv)
	if !ok {
		return ChallengeContent{}, fmt.Errorf("%w: sealed box does not open", ErrPayloadTampered)
	}
	c, err := payloadParseInner(inner)
	clear(inner)
	if err != nil {
		return ChallengeContent{}, err
	}
	if c.Serial != h.Serial {
		return ChallengeContent{}, fmt.Errorf("%w: sealed serial %q differs from the clear serial %q", ErrPayloadTampered, c.Serial, h.Serial)
	}
	return c, nil
}

// payloadParseInner reads the opened box. A box that opens was sealed to
// the vendor key, but anyone holding the public key can seal, so every
// field is checked again.
func payloadParseInner(inner []byte) (ChallengeContent, error) {
	var c ChallengeContent
	if len(inner) < payloadInnerMin {
		return c, fmt.Errorf("%w: sealed content of %d bytes, want at least %d", ErrPayloadMalformed, len(inner), payloadInnerMin)
	}
	copy(c.ID[:], inner[:16])
	code := string(inner[16:24])
	if !payloadValidCode(code) {
		return ChallengeContent{}, fmt.Errorf("%w: sealed code is not 8 uppercase Crockford base32 characters", ErrPayloadMalformed)
	}
	created := int64(binary.BigEndian.Uint64(inner[24:32]))
	rest := inner[32:]
	serial, rest, ok := payloadCutString(rest)
	if !ok || !validSerial(serial) {
		return ChallengeContent{}, fmt.Errorf("%w: sealed serial is not 1 to %d of A-Z 0-9 -", ErrPayloadMalformed, payloadSerialMax)
	}
	email, rest, ok := payloadCutString(rest)
	if !ok || len(email) > payloadMaxEmail {
		return ChallengeContent{}, fmt.Errorf("%w: sealed address length out of range", ErrPayloadMalformed)
	}
	if err := ValidateEmail(email); err != nil {
		return ChallengeContent{}, fmt.Errorf("%w: sealed address: %v", ErrPayloadMalformed, err)
	}
	if len(rest) != 0 {
		return ChallengeContent{}, fmt.Errorf("%w: %d bytes after the sealed address", ErrPayloadMalformed, len(rest))
	}
	c.Code, c.Serial, c.Email = code, serial, email
	c.Created = time.Unix(created, 0).UTC()
	return c, nil
}

// payloadCutString reads a length byte and that many bytes.
func payloadCutString(b []byte) (s string, rest []byte, ok bool) {
	if len(b) < 1 || len(b) < 1+int(b[0]) {
		return "", b, false
	}
	n := int(b[0])
	return string(b[1 : 1+n]), b[1+n:], true
}

// payloadValidCode reports whether code is exactly 8 characters of the
// Crockford alphabet, uppercase: the canonical form, unlike what
// ParseVerificationCode accepts from a person.
func payloadValidCode(code string) bool {
	if len(code) != payloadCodeSize {
		return false
	}
	for i := 0; i < len(code); i++ {
		if strings.IndexByte(crockford, code[i]) < 0 {
			return false
		}
	}
	return true
}
