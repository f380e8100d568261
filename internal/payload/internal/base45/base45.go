// Package base45 implements the Base45 encoding of RFC 9285, which keeps
// binary data inside a QR code's alphanumeric mode (the mode phone
// scanners handle best).
//
// It is written here rather than imported because no well-kept Go module
// offers it (only small single-maintainer ones) and it is sixty lines.
package base45

import (
	"errors"
	"fmt"
)

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var decodeMap = func() (m [256]int8) {
	for i := range m {
		m[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		m[alphabet[i]] = int8(i)
	}
	return m
}()

// ErrInvalid reports text that is not Base45.
var ErrInvalid = errors.New("invalid base45")

// Encode encodes src: every two bytes become three characters, a last
// single byte two.
func Encode(src []byte) string {
	out := make([]byte, 0, len(src)/2*3+2)
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		out = append(out, alphabet[n%45], alphabet[n/45%45], alphabet[n/2025])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		out = append(out, alphabet[n%45], alphabet[n/45])
	}
	return string(out)
}

// Decode decodes s strictly: characters outside the alphabet, a length
// that leaves one character over, and groups worth more than their bytes
// can hold are errors.
func Decode(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, fmt.Errorf("%w: length %d", ErrInvalid, len(s))
	}
	out := make([]byte, 0, len(s)/3*2+1)
	for i := 0; i < len(s); i += 3 {
		var v [3]int
		k := min(3, len(s)-i)
		for j := 0; j < k; j++ {
			d := decodeMap[s[i+j]]
			if d < 0 {
				return nil, fmt.Errorf("%w: character %q at %d", ErrInvalid, s[i+j], i+j)
			}
			v[j] = int(d)
		}
		n := v[0] + v[1]*45 + v[2]*2025
		if k == 3 {
			if n > 0xffff {
				return nil, fmt.Errorf("%w: group at %d overflows", ErrInvalid, i)
			}
			out = append(out, byte(n>>8), byte(n))
		} else {
			if n > 0xff {
				return nil, fmt.Errorf("%w: last group overflows", ErrInvalid)
			}
			out = append(out, byte(n))
		}
	}
	return out, nil
}
