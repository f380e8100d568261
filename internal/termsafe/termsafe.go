// Package termsafe makes text from outside (USB stick names, answers from
// the LAN) safe to print on a terminal: escape sequences and the characters
// that reorder or break text are removed, invalid UTF-8 is replaced.
//
// It is a leaf package with no dependency outside the standard library, so
// that every build imports it: the Linux daemon and the installer's tool on
// Linux, macOS and Windows alike.
package termsafe

import (
	"strings"
	"unicode/utf8"
)

// String returns s made safe to draw on a terminal: escape sequences
// (ESC and C1 introduced: CSI, OSC, DCS and the other string controls) are
// removed whole, other C0 and C1 controls and DEL are removed, the
// bidirectional overrides, embeddings, isolates and marks (U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F, U+061C) and the line and paragraph
// separators are removed, and each byte of invalid UTF-8 becomes U+FFFD.
// Everything else, accented letters included, is kept.
//
// A UI that gives meaning to other characters (tview's "[red]" style tags)
// still escapes those itself.
func String(s string) string {
	if IsSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i = skipEscape(s, i+1)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == 0x9b: // CSI
			i = skipControlSequence(s, i)
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS, SOS, OSC, PM, APC
			i = skipControlString(s, i)
		case UnsafeRune(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// IsSafe reports whether String would return s unchanged: the fast path,
// as most text needs no change.
func IsSafe(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || UnsafeRune(r) {
			return false
		}
		i += size
	}
	return true
}

// UnsafeRune reports whether r is a control or a character that reorders or
// breaks the text around it: String never returns one.
func UnsafeRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// skipEscape skips what follows an ESC at s[i-1] and returns the index after
// the sequence (ECMA-48: CSI, the string controls, or intermediates and a
// final byte).
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipControlSequence(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipControlString(s, i+1)
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f { // intermediates
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e { // final
		i++
	}
	return i
}

// skipControlSequence skips a CSI's parameter, intermediate and final bytes.
// It stops early at a byte that cannot be part of one, so that text after a
// broken sequence is kept.
func skipControlSequence(s string, i int) int {
	for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipControlString skips a control string up to and including its
// terminator: BEL, ESC \ or the C1 ST (U+009C). An unterminated one runs to
// the end, as a terminal would swallow it.
func skipControlString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // a new sequence starts: the caller handles it
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
