// Package mailaddr checks the bare email addresses the recorder accepts: the
// owner's reserved address and the vendor's recovery mailbox. A bare address
// is "local@domain" with no display name, comment or quoting: the local part
// a dot-atom of RFC 5322 made of letters, digits and . _ % + - only, the
// domain a host name of at least two labels of letters, digits and hyphens
// (RFC 5321's "Domain") whose last has two characters or more and is not all
// digits, within RFC 5321's lengths. A refusal names the part to correct:
// nothing typed, the part before the @, the domain, or its last label.
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
// address of 254). A top-level label of one character exists nowhere, so
// the last label needs at least two.
const (
	MaxLength      = 254
	MaxLocalLength = 64
	maxLabelLength = 63
	minTopLength   = 2
)

// ErrInvalid is wrapped by every error Check returns.
var ErrInvalid = errors.New("not a bare email address")

// Part is the part of an address a refusal is about, so that a door can say
// which one to correct.
type Part int

const (
	PartEmpty    Part = iota + 1 // nothing typed
	PartLocal                    // the part before the @
	PartDomain                   // the domain after the @ (or the @ itself missing)
	PartTopLabel                 // the domain's last label, such as "it" or "com"
)

// Error is what Check returns: the part that is wrong and why. It wraps
// ErrInvalid.
type Error struct {
	Part   Part
	Reason string // lowercase, without the address
}

func (e *Error) Error() string { return ErrInvalid.Error() + ": " + e.Reason }
func (e *Error) Unwrap() error { return ErrInvalid }

// PartOf returns the part err (from Check) is about, 0 for any other error.
func PartOf(err error) Part {
	var e *Error
	if errors.As(err, &e) {
		return e.Part
	}
	return 0
}

func refuse(part Part, format string, args ...any) error {
	return &Error{Part: part, Reason: fmt.Sprintf(format, args...)}
}

// Check returns nil if addr is a bare email address, else an *Error
// wrapping ErrInvalid that says which part is wrong and why (the address
// itself is not repeated: callers decide whether to show it). The part
// before the @ is checked first, then the domain, then its last label.
func Check(addr string) error {
	if addr == "" {
		return refuse(PartEmpty, "empty")
	}
	local, domain, ok := strings.Cut(addr, "@")
	if len(local) > MaxLocalLength {
		return refuse(PartLocal, "the part before @ has %d characters, at most %d", len(local), MaxLocalLength)
	}
	if len(addr) > MaxLength {
		return refuse(PartDomain, "%d characters, at most %d", len(addr), MaxLength)
	}
	if !ok {
		return refuse(PartDomain, "no @")
	}
	if err := checkDotAtom(local); err != nil {
		return refuse(PartLocal, "before @: %v", err)
	}
	if part, err := checkDomain(domain); err != nil {
		return refuse(part, "after @: %v", err)
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
// starting or ending with a hyphen, the last of at least two characters and
// not all digits. It says whether the domain as a whole or its last label
// is wrong.
func checkDomain(s string) (Part, error) {
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return PartDomain, errors.New("a domain with at least one dot, like example.com")
	}
	for _, l := range labels {
		if l == "" {
			return PartDomain, errors.New("a dot at the start, at the end or twice in a row")
		}
		if len(l) > maxLabelLength {
			return PartDomain, fmt.Errorf("a name of %d characters between dots, at most %d", len(l), maxLabelLength)
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return PartDomain, errors.New("a name starting or ending with a hyphen")
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isLetterDigit(c) && c != '-' {
				return PartDomain, notAllowed(l[i:])
			}
		}
	}
	top := labels[len(labels)-1]
	if strings.Trim(top, "0123456789") == "" {
		return PartTopLabel, errors.New("a last name of digits only: not a domain")
	}
	if len(top) < minTopLength {
		return PartTopLabel, errors.New("a last name of one character: no such top-level domain")
	}
	return 0, nil
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

// Mask hides most of an address's local part for display:
// "mario@esempio.it" becomes "m***o@esempio.it".
func Mask(addr string) string {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" {
		return "***"
	}
	if len(local) <= 2 {
		return local[:1] + "***@" + domain
	}
	return local[:1] + "***" + local[len(local)-1:] + "@" + domain
}
