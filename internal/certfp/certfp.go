// Package certfp is the one form of the web door's certificate
// fingerprint: the SHA-256 of the certificate's DER. The recorder's screen,
// the log, the API and `nvr-menud -fingerprint` show it as a browser does
// (upper-case hex pairs separated by colons); the SADP answer's extension
// element and nvr-sadp's known_recorders file carry it as 64 lower-case hex
// digits; a person may type it either way. It builds for every system
// nvr-sadp ships for.
package certfp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
)

// Fingerprint is a certificate's SHA-256. The zero value is no
// fingerprint.
type Fingerprint [sha256.Size]byte

// Of is the fingerprint of a certificate's DER bytes.
func Of(der []byte) Fingerprint { return sha256.Sum256(der) }

// ErrMalformed reports text that is not a SHA-256 in hex.
var ErrMalformed = errors.New("not a SHA-256 fingerprint: want 64 hex digits, with or without colons")

// Parse reads a fingerprint as it is shown, stored or typed: 64 hex
// digits in any case, with or without colons, spaces or dashes between
// them, and white space around.
func Parse(s string) (Fingerprint, error) {
	var f Fingerprint
	s = strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(s))
	if len(s) != 2*len(f) {
		return f, ErrMalformed
	}
	if _, err := hex.Decode(f[:], []byte(s)); err != nil {
		return Fingerprint{}, ErrMalformed
	}
	return f, nil
}

// IsZero reports whether f is no fingerprint.
func (f Fingerprint) IsZero() bool { return f == Fingerprint{} }

// Equal compares two fingerprints in constant time.
func (f Fingerprint) Equal(g Fingerprint) bool { return subtle.ConstantTimeCompare(f[:], g[:]) == 1 }

// String is the fingerprint as browsers and the recorder's screen show
// it: "AB:CD:…", 95 characters; empty for the zero value.
func (f Fingerprint) String() string {
	if f.IsZero() {
		return ""
	}
	const digits = "0123456789ABCDEF"
	b := make([]byte, 0, 3*len(f)-1)
	for i, c := range f {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, digits[c>>4], digits[c&15])
	}
	return string(b)
}

// Hex is the fingerprint as 64 lower-case hex digits, the form SADP
// answers and known_recorders carry; empty for the zero value.
func (f Fingerprint) Hex() string {
	if f.IsZero() {
		return ""
	}
	return hex.EncodeToString(f[:])
}

// Halves is String in two lines of 16 pairs, for a screen 80 columns wide.
func (f Fingerprint) Halves() (string, string) {
	s := f.String()
	if s == "" {
		return "", ""
	}
	return s[:47], s[48:]
}
