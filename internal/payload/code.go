package payload

import (
	"encoding/base32"
	"errors"
	"strings"
)

// The verification code: 8 characters of Crockford's base32 (40 bits),
// made by the recorder, sealed in the payload, mailed by the vendor and
// typed by the owner.

// crockford is Crockford's base32 alphabet: no I, L, O or U.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeEncoding writes random bytes as code characters.
var CodeEncoding = base32.NewEncoding(crockford).WithPadding(base32.NoPadding)

// ErrCodeMalformed reports typed text that is not a verification code.
var ErrCodeMalformed = errors.New("a verification code has 8 letters and digits")

// ParseCode turns what the owner typed into the canonical 8-character
// code. It accepts lowercase, spaces and hyphens, and reads O as 0 and I or
// L as 1, as Crockford's alphabet intends.
func ParseCode(s string) (string, error) {
	if len(s) > 64 {
		return "", ErrCodeMalformed
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 0x7f || !strings.ContainsRune(crockford, r) {
			return "", ErrCodeMalformed
		}
		b.WriteRune(r)
	}
	if b.Len() != payloadCodeSize {
		return "", ErrCodeMalformed
	}
	return b.String(), nil
}

// FormatCode shows a code as the vendor mails it: "ABCD-1234".
func FormatCode(code string) string {
	if len(code) != payloadCodeSize {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// ValidCode reports whether code is exactly 8 characters of the
// Crockford alphabet, uppercase: the canonical form, unlike what
// ParseCode accepts from a person.
func ValidCode(code string) bool {
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

// ValidSerial reports whether s is a device serial: 1 to 32 of A-Z, 0-9
// and '-'. Every part of nvrmenu that names a device holds it to this.
func ValidSerial(s string) bool {
	if len(s) < 1 || len(s) > payloadSerialMax {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
