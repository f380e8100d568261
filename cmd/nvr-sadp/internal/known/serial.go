package known

import "strings"

// MaxSerial bounds a serial nvr-sadp pins (an nvrmenu recorder's is at
// most 32).
const MaxSerial = 64

// Fold is s trimmed, its ASCII letters in upper case: the form serials
// are compared in. Only ASCII is folded (strings.ToUpper would turn "ſ"
// into "S" and "ı" into "I"); a serial with anything else is refused by
// ValidSerial.
func Fold(s string) string {
	b := []byte(strings.TrimSpace(s))
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Canonical is s as nvr-sadp pins and compares it (Fold), and whether it
// is a serial at all: 1 to 64 of A-Z, 0-9 and -, in any case.
func Canonical(s string) (string, bool) {
	s = Fold(s)
	return s, ValidSerial(s)
}

// ValidSerial reports whether s is a canonical serial: 1 to 64 of A-Z,
// 0-9 and -, what the file, a file name and a terminal hold safely, and
// what nvrmenu recorders have (config's device.serial).
func ValidSerial(s string) bool {
	if len(s) == 0 || len(s) > MaxSerial {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
