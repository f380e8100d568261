package pwpolicy

import (
	"errors"
	"fmt"
	"strings"
)

// Strength is a password's level as the menu's meter shows it.
type Strength int

// The levels, weakest first. Only Risky is refused.
const (
	StrengthRisky Strength = iota
	StrengthWeak
	StrengthMedium
	StrengthStrong
)

// String returns the level's stable lowercase name: "risky", "weak",
// "medium" or "strong".
func (s Strength) String() string {
	switch s {
	case StrengthRisky:
		return "risky"
	case StrengthWeak:
		return "weak"
	case StrengthMedium:
		return "medium"
	case StrengthStrong:
		return "strong"
	}
	return fmt.Sprintf("strength(%d)", int(s))
}

// Reason is a stable code for one rule a password breaks; the menu
// translates it.
type Reason string

// The reasons, in the order Evaluate reports them.
const (
	ReasonTooShort             Reason = "too-short"
	ReasonTooLong              Reason = "too-long"
	ReasonNotPrintableASCII    Reason = "not-printable-ascii"
	ReasonTooFewClasses        Reason = "too-few-classes"
	ReasonContainsUser         Reason = "contains-user"
	ReasonContainsUserReversed Reason = "contains-user-reversed"
	ReasonContainsAdmin        Reason = "contains-admin"
	ReasonSequence             Reason = "sequence"
	ReasonRepetition           Reason = "repetition"
	ReasonCommonPassword       Reason = "common-password"
)

// policyReasonOrder lists every reason in report order; bit i of a
// policyReasonSet stands for policyReasonOrder[i].
var policyReasonOrder = [...]Reason{
	ReasonTooShort,
	ReasonTooLong,
	ReasonNotPrintableASCII,
	ReasonTooFewClasses,
	ReasonContainsUser,
	ReasonContainsUserReversed,
	ReasonContainsAdmin,
	ReasonSequence,
	ReasonRepetition,
	ReasonCommonPassword,
}

// Reasons lists every reason in the order Evaluate reports them.
func Reasons() []Reason { return append([]Reason(nil), policyReasonOrder[:]...) }

// policyReasonSet is a set of reasons as bits, so that rating a password
// allocates nothing.
type policyReasonSet uint16

const (
	policyTooShort policyReasonSet = 1 << iota
	policyTooLong
	policyNotPrintableASCII
	policyTooFewClasses
	policyContainsUser
	policyContainsUserReversed
	policyContainsAdmin
	policySequence
	policyRepetition
	policyCommonPassword
)

// reasons returns the set's reasons in report order, or nil for none.
func (s policyReasonSet) reasons() []Reason {
	if s == 0 {
		return nil
	}
	out := make([]Reason, 0, policyPopCount(uint16(s)))
	for i, r := range policyReasonOrder {
		if s&(1<<i) != 0 {
			out = append(out, r)
		}
	}
	return out
}

func policyPopCount(x uint16) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// Length limits of a Policy.
const (
	// MinLength is the only minimum length a policy accepts.
	MinLength = 8
	// MaxLengthLimit is the highest maximum length a policy accepts.
	MaxLengthLimit = 64
)

// Policy is the rule for the admin password. A password is accepted
// when it
//
//   - has MinLength to MaxLength characters;
//   - is printable ASCII, 0x20 to 0x7E. Space is allowed and counts as a
//     special: it is printable, it is on the on-screen keyboard and on every
//     keyboard, and it makes passphrases possible. Anything else (accents,
//     control characters) is refused, because the recorder's other login
//     paths (web, ONVIF, the vendor's apps) may not type it the same way;
//   - mixes at least two of the four classes digits, lowercase, uppercase
//     and specials;
//   - does not contain the user name or the user name reversed, nor the
//     word "admin", ignoring case;
//   - has no run of 4 sequential letters or digits, up or down and ignoring
//     case ("abcd", "DcBa", "1234", "4321"), and no run of 4 equal
//     characters ("aaaa", "1111", "!!!!");
//   - is not, ignoring case, one of the embedded common passwords.
type Policy struct {
	MinLength, MaxLength int
}

// Default returns the vendors' usual rule: 8 to 16 characters.
func Default() Policy {
	return Policy{MinLength: MinLength, MaxLength: 16}
}

// Validate checks the policy itself: the minimum length is fixed at 8, the
// maximum may be set from 8 up to 64.
func (p Policy) Validate() error {
	if p.MinLength != MinLength {
		return fmt.Errorf("password policy: minimum length %d, must be %d", p.MinLength, MinLength)
	}
	if p.MaxLength < MinLength || p.MaxLength > MaxLengthLimit {
		return fmt.Errorf("password policy: maximum length %d is outside %d..%d", p.MaxLength, MinLength, MaxLengthLimit)
	}
	return nil
}

// ErrRefused is matched by every *RefusedError with
// errors.Is.
var ErrRefused = errors.New("password refused by the policy")

// RefusedError lists the rules a password breaks. It never holds
// the password.
type RefusedError struct {
	Reasons []Reason
}

// Error names the reason codes, never the password.
func (e *RefusedError) Error() string {
	var b strings.Builder
	b.WriteString(ErrRefused.Error())
	for i, r := range e.Reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(string(r))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// Check returns nil when the policy accepts password for user, or else a
// *RefusedError with every reason.
func (p Policy) Check(user, password string) error {
	if s, set := p.rate(user, password); s == StrengthRisky {
		return &RefusedError{Reasons: set.reasons()}
	}
	return nil
}

// Evaluate rates password for user and lists every rule it breaks, in the
// order of the Reason constants. A password that breaks a rule is Risky and
// refused. An accepted one is
//
//   - Strong with all four classes and at least 12 characters, three
//     classes and at least 16, or any mix of at least 20 characters;
//   - Medium with three classes, or two and at least 12 characters;
//   - Weak otherwise (two classes, fewer than 12 characters);
//
// and at most Weak when it is a common password or word in disguise:
// capitals, leading or trailing digits and symbols and leetspeak
// ("Password123!", "P@ssw0rd!", "Dragon2024!") fool people, not guessers.
//
// Evaluate allocates only the reasons of a refused password (one small
// slice): the menu can call it on every keystroke.
func (p Policy) Evaluate(user, password string) (Strength, []Reason) {
	s, set := p.rate(user, password)
	return s, set.reasons()
}

// rate is Evaluate without allocating.
func (p Policy) rate(user, password string) (Strength, policyReasonSet) {
	var set policyReasonSet
	n := len(password)
	if n < p.MinLength {
		set |= policyTooShort
	}
	if n > p.MaxLength {
		set |= policyTooLong
	}
	var lower, upper, digit, special int
	for i := 0; i < n; i++ {
		switch c := password[i]; {
		case c < 0x20 || c > 0x7e:
			set |= policyNotPrintableASCII
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
		set |= policyTooFewClasses
	}
	if user != "" {
		if policyContainsFold(password, user, false) {
			set |= policyContainsUser
		}
		// A palindrome's reverse is the name itself: one reason is enough.
		if !policyEqualReversedFold(user) && policyContainsFold(password, user, true) {
			set |= policyContainsUserReversed
		}
	}
	if policyContainsFold(password, "admin", false) {
		set |= policyContainsAdmin
	}
	sequence, repetition := policyRuns(password)
	if sequence {
		set |= policySequence
	}
	if repetition {
		set |= policyRepetition
	}
	// Passwords over 64 bytes are too long under any policy and are not in
	// the list, which holds nothing longer.
	var buf [MaxLengthLimit]byte
	if n <= len(buf) && blocklistContains(policyLowerInto(buf[:0], password)) {
		set |= policyCommonPassword
	}
	if set != 0 {
		return StrengthRisky, set
	}
	switch {
	case policyDisguisedCommon(password):
		return StrengthWeak, 0
	case classes == 4 && n >= 12, classes >= 3 && n >= 16, n >= 20:
		return StrengthStrong, 0
	case classes >= 3, n >= 12:
		return StrengthMedium, 0
	}
	return StrengthWeak, 0
}

func policyLowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func policyIsLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func policyIsDigit(c byte) bool { return c >= '0' && c <= '9' }

// policyLowerInto appends s with ASCII letters lowercased to dst.
func policyLowerInto(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, policyLowerASCII(s[i]))
	}
	return dst
}

// policyContainsFold reports whether s contains sub, or sub reversed,
// ignoring ASCII case, without allocating.
func policyContainsFold(s, sub string, reversed bool) bool {
	m := len(sub)
	for i := 0; i+m <= len(s); i++ {
		j := 0
		for ; j < m; j++ {
			k := j
			if reversed {
				k = m - 1 - j
			}
			if policyLowerASCII(s[i+j]) != policyLowerASCII(sub[k]) {
				break
			}
		}
		if j == m {
			return true
		}
	}
	return false
}

// policyEqualReversedFold reports whether s reads the same backwards,
// ignoring ASCII case.
func policyEqualReversedFold(s string) bool {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		if policyLowerASCII(s[i]) != policyLowerASCII(s[j]) {
			return false
		}
	}
	return true
}

// policyRunLength is the shortest refused run of sequential or equal
// characters.
const policyRunLength = 4

// policyRuns reports a run of policyRunLength sequential letters or digits,
// up or down and ignoring case ("abcd", "DCBA", "1234"), and a run of
// policyRunLength equal characters ("aaaa", "!!!!").
func policyRuns(s string) (sequence, repetition bool) {
	up, down, same := 1, 1, 1
	for i := 1; i < len(s); i++ {
		a, b := policyLowerASCII(s[i-1]), policyLowerASCII(s[i])
		sameKind := (policyIsLetter(a) && policyIsLetter(b)) || (policyIsDigit(a) && policyIsDigit(b))
		if sameKind && b == a+1 {
			up++
		} else {
			up = 1
		}
		if sameKind && b+1 == a {
			down++
		} else {
			down = 1
		}
		if a == b {
			same++
		} else {
			same = 1
		}
		sequence = sequence || up >= policyRunLength || down >= policyRunLength
		repetition = repetition || same >= policyRunLength
	}
	return sequence, repetition
}

// policyDisguisedCommon reports whether password is a common password or
// word under the usual disguises. Its core is the span from its first to its
// last letter, so that digits and symbols before and after it are cut off;
// the core is looked up as typed and with leetspeak undone ("P@ssw0rd!" ->
// "password", "1ov3ly" -> "lovely"), and so is the core grown by up to
// policyLeetEdge leetspeak characters on each side ("$hadow1" -> "shadow").
// It allocates nothing.
func policyDisguisedCommon(password string) bool {
	if len(password) > MaxLengthLimit {
		return false
	}
	start, end := 0, len(password)
	for start < end && !policyIsLetter(password[start]) {
		start++
	}
	for end > start && !policyIsLetter(password[end-1]) {
		end--
	}
	if start == end {
		return false
	}
	var buf [MaxLengthLimit]byte
	if blocklistContains(policyLowerInto(buf[:0], password[start:end])) {
		return true
	}
	for from := start; from >= 0 && start-from <= policyLeetEdge; from-- {
		if from < start && policyUnleet(password[from], 'i') == password[from] {
			break
		}
		for to := end; to <= len(password) && to-end <= policyLeetEdge; to++ {
			if to > end && policyUnleet(password[to-1], 'i') == password[to-1] {
				break
			}
			span := password[from:to]
			// '1' stands for both 'i' and 'l': try both readings.
			if blocklistContains(policyUnleetInto(buf[:0], span, 'i')) ||
				(strings.IndexByte(span, '1') >= 0 && blocklistContains(policyUnleetInto(buf[:0], span, 'l'))) {
				return true
			}
		}
	}
	return false
}

// policyLeetEdge is how many leetspeak characters before and after the
// letters policyDisguisedCommon tries as part of the word.
const policyLeetEdge = 2

// policyUnleetInto appends s lowercased, with leetspeak digits and symbols
// read as letters, to dst; one is the reading of '1'.
func policyUnleetInto(dst []byte, s string, one byte) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, policyUnleet(policyLowerASCII(s[i]), one))
	}
	return dst
}

// policyUnleet returns the letter the leetspeak character c stands for, or c
// itself; one is the reading of '1'.
func policyUnleet(c, one byte) byte {
	switch c {
	case '@', '4':
		return 'a'
	case '8':
		return 'b'
	case '3':
		return 'e'
	case '6', '9':
		return 'g'
	case '!', '|':
		return 'i'
	case '1':
		return one
	case '0':
		return 'o'
	case '$', '5':
		return 's'
	case '7', '+':
		return 't'
	}
	return c
}
