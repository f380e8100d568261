package recovery

import (
	"errors"
	"fmt"
	"strings"
)

// Strength is a password's level as the menu's meter shows it.
type Strength int

// The levels: Risky is refused; the others are accepted.
const (
	StrengthRisky Strength = iota
	StrengthWeak
	StrengthMedium
	StrengthStrong
)

func (s Strength) String() string {
	switch s {
	case StrengthWeak:
		return "weak"
	case StrengthMedium:
		return "medium"
	case StrengthStrong:
		return "strong"
	}
	return "risky"
}

// PolicyReason is a stable code for why a password is refused; the menu
// translates it.
type PolicyReason string

// The reasons, in the order Evaluate reports them.
const (
	ReasonTooShort             PolicyReason = "too-short"
	ReasonTooLong              PolicyReason = "too-long"
	ReasonNotPrintableASCII    PolicyReason = "not-printable-ascii"
	ReasonTooFewClasses        PolicyReason = "too-few-classes"
	ReasonContainsUser         PolicyReason = "contains-user"
	ReasonContainsUserReversed PolicyReason = "contains-user-reversed"
	ReasonContainsAdmin        PolicyReason = "contains-admin"
	ReasonSequence             PolicyReason = "sequence"
	ReasonRepetition           PolicyReason = "repetition"
	ReasonCommonPassword       PolicyReason = "common-password"
)

// PasswordPolicy is the admin password rule: MinLength to MaxLength
// printable ASCII characters (space included: it is printable and typeable
// on the on-screen keyboard) of at least two of the four classes digits,
// lowercase, uppercase and specials; not containing the user name, its
// reverse or the word "admin"; no run of 4 sequential ("abcd", "4321") or
// repeated ("aaaa") characters; not one of the embedded common passwords.
type PasswordPolicy struct {
	MinLength, MaxLength int
}

// DefaultPasswordPolicy is 8 to 16 characters, as recorder vendors use.
func DefaultPasswordPolicy() PasswordPolicy { return PasswordPolicy{MinLength: 8, MaxLength: 16} }

// Validate checks the policy itself: the minimum is fixed at 8 and the
// maximum may be raised up to 64.
func (p PasswordPolicy) Validate() error {
	if p.MinLength != 8 {
		return fmt.Errorf("password policy: minimum length %d, must be 8", p.MinLength)
	}
	if p.MaxLength < 8 || p.MaxLength > 64 {
		return fmt.Errorf("password policy: maximum length %d outside 8..64", p.MaxLength)
	}
	return nil
}

// ErrPasswordRefused is wrapped by every *PasswordRefusedError.
var ErrPasswordRefused = errors.New("password refused by the policy")

// PasswordRefusedError lists why a password was refused. It never holds
// the password.
type PasswordRefusedError struct {
	Reasons []PolicyReason
}

func (e *PasswordRefusedError) Error() string {
	codes := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		codes[i] = string(r)
	}
	return fmt.Sprintf("%v: %s", ErrPasswordRefused, strings.Join(codes, ", "))
}

func (e *PasswordRefusedError) Unwrap() error { return ErrPasswordRefused }

// Check returns nil for an acceptable password, or a *PasswordRefusedError.
func (p PasswordPolicy) Check(user, password string) error {
	if s, reasons := p.Evaluate(user, password); s == StrengthRisky {
		return &PasswordRefusedError{Reasons: reasons}
	}
	return nil
}

// Evaluate rates password for user and lists every rule it breaks, in a
// fixed order. A password breaking any rule is Risky. Otherwise it scores
// one point per character class, one more from 12 characters and one more
// from 16: up to 2 points is Weak, 3 Medium, 4 or more Strong. A common
// password dressed up with capitals, digits or symbols ("Password123!",
// "P@ssw0rd1") is at most Weak. It allocates only when it refuses, so the
// menu can run it on every keystroke.
func (p PasswordPolicy) Evaluate(user, password string) (Strength, []PolicyReason) {
	var reasons []PolicyReason
	refuse := func(r PolicyReason) { reasons = append(reasons, r) }
	n := len(password)
	if n < p.MinLength {
		refuse(ReasonTooShort)
	}
	if n > p.MaxLength {
		refuse(ReasonTooLong)
	}
	var lower, upper, digit, special int
	for i := 0; i < n; i++ {
		switch c := password[i]; {
		case c < 0x20 || c > 0x7e:
			if !containsReason(reasons, ReasonNotPrintableASCII) {
				refuse(ReasonNotPrintableASCII)
			}
		case c >= 'a' && c <= 'z':
			lower = 1
		case c >= 'A' && c <= 'Z':
			upper = 1
		case c >= '0' && c <= '9':
			digit = 1
		default:
			special = 1
		}
	}
	classes := lower + upper + digit + special
	if classes < 2 {
		refuse(ReasonTooFewClasses)
	}
	if user != "" && containsFold(password, user, false) {
		refuse(ReasonContainsUser)
	}
	if user != "" && len(user) > 1 && containsFold(password, user, true) {
		refuse(ReasonContainsUserReversed)
	}
	if containsFold(password, "admin", false) {
		refuse(ReasonContainsAdmin)
	}
	seq, rep := runs(password)
	if seq {
		refuse(ReasonSequence)
	}
	if rep {
		refuse(ReasonRepetition)
	}
	var buf [64]byte
	if n <= len(buf) && blocklisted(lowerInto(buf[:0], password)) {
		refuse(ReasonCommonPassword)
	}
	if len(reasons) > 0 {
		return StrengthRisky, reasons
	}
	points := classes
	if n >= 12 {
		points++
	}
	if n >= 16 {
		points++
	}
	switch {
	case commonBase(password):
		return StrengthWeak, nil
	case points >= 4:
		return StrengthStrong, nil
	case points == 3:
		return StrengthMedium, nil
	}
	return StrengthWeak, nil
}

func containsReason(rs []PolicyReason, r PolicyReason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func lowerInto(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lowerASCII(s[i]))
	}
	return dst
}

// containsFold reports whether s contains sub (or sub reversed), ignoring
// ASCII case, without allocating.
func containsFold(s, sub string, reversed bool) bool {
	m := len(sub)
	for i := 0; i+m <= len(s); i++ {
		j := 0
		for ; j < m; j++ {
			k := j
			if reversed {
				k = m - 1 - j
			}
			if lowerASCII(s[i+j]) != lowerASCII(sub[k]) {
				break
			}
		}
		if j == m {
			return true
		}
	}
	return false
}

// runs reports a run of 4 sequential letters or digits, up or down
// ("abcd", "DCBA", "1234"), and a run of 4 equal characters ("aaaa", "!!!!").
func runs(s string) (sequence, repetition bool) {
	up, down, same := 1, 1, 1
	for i := 1; i < len(s); i++ {
		a, b := lowerASCII(s[i-1]), lowerASCII(s[i])
		alnum := sameAlnumKind(a, b)
		if alnum && b == a+1 {
			up++
		} else {
			up = 1
		}
		if alnum && b+1 == a {
			down++
		} else {
			down = 1
		}
		if a == b {
			same++
		} else {
			same = 1
		}
		sequence = sequence || up >= 4 || down >= 4
		repetition = repetition || same >= 4
	}
	return sequence, repetition
}

func sameAlnumKind(a, b byte) bool {
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	return (isLetter(a) && isLetter(b)) || (isDigit(a) && isDigit(b))
}

// commonBase reports a blocklisted word under common disguises: leading
// and trailing digits and symbols stripped, and leetspeak undone
// ("P@ssw0rd1!" is "password").
func commonBase(password string) bool {
	var buf [64]byte
	if len(password) > len(buf) {
		return false
	}
	b := buf[:0]
	for i := 0; i < len(password); i++ {
		c := lowerASCII(password[i])
		switch c {
		case '@', '4':
			c = 'a'
		case '3':
			c = 'e'
		case '0':
			c = 'o'
		case '$', '5':
			c = 's'
		case '7':
			c = 't'
		case '1', '!':
			c = 'i'
		}
		b = append(b, c)
	}
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' }
	// Trim what the undisguised password has around its letters.
	start, end := 0, len(password)
	for start < end && !isLetter(lowerASCII(password[start])) {
		start++
	}
	for end > start && !isLetter(lowerASCII(password[end-1])) {
		end--
	}
	var plain [64]byte
	trimmed := lowerInto(plain[:0], password[start:end])
	return blocklisted(trimmed) || blocklisted(b) || (end > start && blocklisted(b[start:end]))
}
