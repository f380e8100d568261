// Package mailaddr checks the bare email addresses the recorder accepts: the
// owner's reserved address and the vendor's recovery mailbox. A bare address
// is "local@domain" with no display name, comment or quoting: the local part
// a dot-atom of RFC 5322 made of letters, digits and . _ % + - only, the
// domain a host name of at least two labels of letters, digits and hyphens
// (RFC 5321's "Domain") whose last is not all digits, within RFC 5321's
// lengths.
//
// The local part is narrower than RFC 5322's atext on purpose: the address
// travels sealed to the vendor, whose tools print it and mail to it, and
// anybody can seal a payload with the vendor's public key. Quotes,
// backquotes, $, |, &, braces and the like have no place in a reserved
// recovery address and would be dangerous in a careless vendor script.
//
// It is a few lines of its own rather than net/mail, which accepts display
// names, comments and quoted strings that a caller must then refuse, and
// which brings net, mime and textproto into a firmware binary for two
// checks.
package mailaddr

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Lengths from RFC 5321, section 4.5.3.1 (a path of 256 octets holds an
// address of 254).
const (
	MaxLength      = 254
	MaxLocalLength = 64
	maxLabelLength = 63
)

// ErrInvalid is wrapped by every error Check returns.
var ErrInvalid = errors.New("not a bare email address")

// Check returns nil if addr is a bare email address, else an error wrapping
// ErrInvalid that says what is wrong (the address itself is not repeated:
// callers decide whether to show it).
func Check(addr string) error {
	if addr == "" {
		return fmt.Errorf("%w: empty", ErrInvalid)
	}
	if len(addr) > MaxLength {
		return fmt.Errorf("%w: %d characters, at most %d", ErrInvalid, len(addr), MaxLength)
	}
	local, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return fmt.Errorf("%w: no @", ErrInvalid)
	}
	if len(local) > MaxLocalLength {
		return fmt.Errorf("%w: the part before @ has %d characters, at most %d", ErrInvalid, len(local), MaxLocalLength)
	}
	if err := checkDotAtom(local); err != nil {
		return fmt.Errorf("%w: before @: %v", ErrInvalid, err)
	}
	if err := checkDomain(domain); err != nil {
		return fmt.Errorf("%w: after @: %v", ErrInvalid, err)
	}
	return nil
}

// checkDotAtom wants atoms of letters, digits and _ % + - joined by single
// dots.
func checkDotAtom(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	for _, atom := range strings.Split(s, ".") {
		if atom == "" {
			return errors.New("a dot at the start, at the end or twice in a row")
		}
		for i := 0; i < len(atom); i++ {
			if !isLocalChar(atom[i]) {
				return notAllowed(atom[i:])
			}
		}
	}
	return nil
}

// checkDomain wants two or more labels of letters, digits and hyphens, none
// starting or ending with a hyphen.
func checkDomain(s string) error {
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return errors.New("a domain with at least one dot, like example.com")
	}
	for _, l := range labels {
		if l == "" {
			return errors.New("a dot at the start, at the end or twice in a row")
		}
		if len(l) > maxLabelLength {
			return fmt.Errorf("a name of %d characters between dots, at most %d", len(l), maxLabelLength)
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return errors.New("a name starting or ending with a hyphen")
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isLetterDigit(c) && c != '-' {
				return notAllowed(l[i:])
			}
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return errors.New("a last name of digits only: not a domain")
	}
	return nil
}

// notAllowed names the character s starts with, whole (à, not its first
// byte).
func notAllowed(s string) error {
	r, _ := utf8.DecodeRuneInString(s)
	return fmt.Errorf("character %q not allowed", r)
}

func isLetterDigit(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isLocalChar is the part of RFC 5322's atext allowed before the @.
func isLocalChar(c byte) bool {
	return isLetterDigit(c) || c == '_' || c == '%' || c == '+' || c == '-'
}
