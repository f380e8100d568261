package pwpolicy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestPasswordPolicyEvaluate(t *testing.T) {
	long := Policy{MinLength: 8, MaxLength: 64}
	for _, tc := range []struct {
		name     string
		policy   Policy // zero: Default
		user     string // empty: "admin"
		password string
		want     Strength
		reasons  []Reason
	}{
		// Accepted, by level.
		{name: "two classes short", password: "ciaomondo9", want: StrengthWeak},
		{name: "three classes short", password: "CiaoMondo9", want: StrengthMedium},
		{name: "four classes short", password: "Gatto!Nero7", want: StrengthMedium},
		{name: "two classes 12", password: "ciao mondo bello", want: StrengthMedium},
		{name: "three classes 12", password: "ciaomondo9!x", want: StrengthMedium},
		{name: "four classes 12", password: "Gatto!Nero77", want: StrengthStrong},
		{name: "space is a special", password: "Ciao Mondo 9", want: StrengthStrong},
		{name: "three classes 16", policy: long, password: "gattoneroBianco7", want: StrengthStrong},
		{name: "passphrase 20", policy: long, password: "nuvole sopra la casa", want: StrengthStrong},
		{name: "exactly 8", password: "Gatto!N7", want: StrengthMedium},
		{name: "exactly the maximum", password: "Gatto!Nero77Luna", want: StrengthStrong},
		{name: "not a sequence across kinds", password: "Gatto!abc7de", want: StrengthStrong},
		{name: "three equal is fine", password: "Gatto!aaa7Xy", want: StrengthStrong},
		{name: "other user", user: "mario", password: "Gatto!Nero77", want: StrengthStrong},

		// Common passwords and words in disguise are at most Weak.
		{name: "capital and suffix", password: "Password123!", want: StrengthWeak},
		{name: "leetspeak", password: "P@ssw0rd!", want: StrengthWeak},
		{name: "short base word", password: "Dragon2024!", want: StrengthWeak},
		{name: "short base in leetspeak", password: "M0nkey!!77", want: StrengthWeak},
		{name: "leetspeak at the edge", password: "$hadow#2026", want: StrengthWeak},
		{name: "one read as l", password: "1ov3ly#2026", want: StrengthWeak},
		{name: "long base", password: "Sunshine#2026", want: StrengthWeak},
		{name: "prefix and suffix", password: "2026#Iloveyou!", want: StrengthWeak},

		// Refused: one reason each.
		{name: "too short", password: "Corto1!", want: StrengthRisky, reasons: []Reason{ReasonTooShort}},
		{name: "too long for the default", password: "Lunghissima!Frase99", want: StrengthRisky, reasons: []Reason{ReasonTooLong}},
		{name: "too long for 64", policy: long, password: strings.Repeat("Gatto!Nero77", 6), want: StrengthRisky, reasons: []Reason{ReasonTooLong}},
		{name: "accent", password: "città!Bella9", want: StrengthRisky, reasons: []Reason{ReasonNotPrintableASCII}},
		{name: "tab", password: "Tab\tTab9x", want: StrengthRisky, reasons: []Reason{ReasonNotPrintableASCII}},
		{name: "DEL", password: "Gatto!Nero\x7f7", want: StrengthRisky, reasons: []Reason{ReasonNotPrintableASCII}},
		{name: "one class", password: "soloparolex", want: StrengthRisky, reasons: []Reason{ReasonTooFewClasses}},
		{name: "user reversed", password: "xNIMDA#99", want: StrengthRisky, reasons: []Reason{ReasonContainsUserReversed}},
		{name: "other user", user: "mario", password: "SuperMario#26", want: StrengthRisky, reasons: []Reason{ReasonContainsUser}},
		{name: "other user reversed", user: "mario", password: "OiRam#2026x", want: StrengthRisky, reasons: []Reason{ReasonContainsUserReversed}},
		{name: "palindrome user", user: "anna", password: "Anna#2026x", want: StrengthRisky, reasons: []Reason{ReasonContainsUser}},
		{name: "admin for another user", user: "mario", password: "myAdmin#99", want: StrengthRisky, reasons: []Reason{ReasonContainsAdmin}},
		{name: "sequence up", password: "Gatto!abcd7", want: StrengthRisky, reasons: []Reason{ReasonSequence}},
		{name: "sequence down mixed case", password: "Gatto!DcBa7", want: StrengthRisky, reasons: []Reason{ReasonSequence}},
		{name: "digits down", password: "Gatto!9876x", want: StrengthRisky, reasons: []Reason{ReasonSequence}},
		{name: "digits up", password: "Gatto!x1234", want: StrengthRisky, reasons: []Reason{ReasonSequence}},
		{name: "repeated letter", password: "Gatto!aaaa7", want: StrengthRisky, reasons: []Reason{ReasonRepetition}},
		{name: "repeated letter any case", password: "Gatto!aAaA7", want: StrengthRisky, reasons: []Reason{ReasonRepetition}},
		{name: "repeated symbol", password: "Gatto!!!!7", want: StrengthRisky, reasons: []Reason{ReasonRepetition}},
		{name: "repeated space", password: "Gatto    7", want: StrengthRisky, reasons: []Reason{ReasonRepetition}},
		{name: "common", password: "Password1", want: StrengthRisky, reasons: []Reason{ReasonCommonPassword}},
		{name: "common in capitals", password: "TRUSTNO1", want: StrengthRisky, reasons: []Reason{ReasonCommonPassword}},

		// Refused: every reason, in order.
		{name: "empty", password: "", want: StrengthRisky, reasons: []Reason{ReasonTooShort, ReasonTooFewClasses}},
		{name: "user and admin", password: "myAdmin#99", want: StrengthRisky, reasons: []Reason{ReasonContainsUser, ReasonContainsAdmin}},
		{name: "digits only", password: "12345987", want: StrengthRisky, reasons: []Reason{ReasonTooFewClasses, ReasonSequence}},
		{name: "many", password: "\tadminnimda1111abcd", want: StrengthRisky, reasons: []Reason{
			ReasonTooLong, ReasonNotPrintableASCII, ReasonContainsUser, ReasonContainsUserReversed,
			ReasonContainsAdmin, ReasonSequence, ReasonRepetition,
		}},
		{name: "common and one class", password: "PASSWORD", want: StrengthRisky, reasons: []Reason{ReasonTooFewClasses, ReasonCommonPassword}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, user := tc.policy, tc.user
			if p == (Policy{}) {
				p = Default()
			}
			if user == "" {
				user = "admin"
			}
			got, reasons := p.Evaluate(user, tc.password)
			if got != tc.want || !slices.Equal(reasons, tc.reasons) {
				t.Fatalf("Evaluate(%q, %q): got %v %v, want %v %v", user, tc.password, got, reasons, tc.want, tc.reasons)
			}
			err := p.Check(user, tc.password)
			if tc.want != StrengthRisky {
				if err != nil {
					t.Fatalf("Check: got %v, want nil", err)
				}
				return
			}
			var refused *RefusedError
			if !errors.Is(err, ErrRefused) || !errors.As(err, &refused) {
				t.Fatalf("Check: got %v, want a *RefusedError matching ErrRefused", err)
			}
			if !slices.Equal(refused.Reasons, tc.reasons) {
				t.Fatalf("Check: got reasons %v, want %v", refused.Reasons, tc.reasons)
			}
		})
	}
}

func TestPasswordRefusedErrorNamesCodesOnly(t *testing.T) {
	for _, tc := range []struct {
		password string
		want     string
	}{
		{"Gatto!abcd7", "password refused by the policy: sequence"},
		{"zqxjvkw", "password refused by the policy: too-short, too-few-classes"},
		{"Segreto\u00e8Mio9", "password refused by the policy: not-printable-ascii"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			err := Default().Check("admin", tc.password)
			if err == nil {
				t.Fatalf("Check(%q): got nil, want a refusal", tc.password)
			}
			if got := err.Error(); got != tc.want {
				t.Fatalf("got message %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPasswordPolicyValidate(t *testing.T) {
	for _, tc := range []struct {
		policy Policy
		ok     bool
	}{
		{Default(), true},
		{Policy{8, 8}, true},
		{Policy{8, 64}, true},
		{Policy{8, 65}, false},
		{Policy{8, 7}, false},
		{Policy{6, 16}, false},
		{Policy{12, 16}, false},
		{Policy{0, 0}, false},
	} {
		t.Run(fmt.Sprintf("%d..%d", tc.policy.MinLength, tc.policy.MaxLength), func(t *testing.T) {
			if err := tc.policy.Validate(); (err == nil) != tc.ok {
				t.Fatalf("got %v, want ok=%v", err, tc.ok)
			}
		})
	}
	if p := Default(); p.MinLength != 8 || p.MaxLength != 16 {
		t.Errorf("Default: got %+v, want 8..16", p)
	}
}

func TestStrengthString(t *testing.T) {
	for _, tc := range []struct {
		s    Strength
		want string
	}{
		{StrengthRisky, "risky"},
		{StrengthWeak, "weak"},
		{StrengthMedium, "medium"},
		{StrengthStrong, "strong"},
		{Strength(7), "strength(7)"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.s.String(); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEvaluateAllocations(t *testing.T) {
	p := Policy{MinLength: 8, MaxLength: 64}
	for _, tc := range []struct {
		password string
		want     float64
	}{
		{"Gatto!Nero77", 0},
		{"P@ssw0rd!", 0},
		{strings.Repeat("Gatto!Nero7", 5), 0},
		{"Gatto!abcd7", 1},           // the reasons of a refusal
		{"\tadminnimda1111abcd", 1},  // however many
		{strings.Repeat("x", 65), 1}, // too long for the stack buffer
	} {
		t.Run(tc.password, func(t *testing.T) {
			if got := testing.AllocsPerRun(50, func() { p.Evaluate("admin", tc.password) }); got != tc.want {
				t.Fatalf("got %v allocations, want %v", got, tc.want)
			}
		})
	}
}

func FuzzPasswordPolicy(f *testing.F) {
	f.Add("admin", "Gatto!Nero77", 16)
	f.Add("admin", "P@ssw0rd!", 16)
	f.Add("", "\x00\xff", 64)
	f.Fuzz(func(t *testing.T, user, password string, maxLength int) {
		if len(user) > 64 || len(password) > 256 {
			t.Skip("inputs are capped")
		}
		p := Policy{MinLength: 8, MaxLength: 8 + (maxLength%57+57)%57}
		got, reasons := p.Evaluate(user, password)
		if (got == StrengthRisky) != (len(reasons) > 0) {
			t.Fatalf("got %v with reasons %v: a refusal needs reasons and reasons mean a refusal", got, reasons)
		}
		if got < StrengthRisky || got > StrengthStrong {
			t.Fatalf("got strength %d out of range", got)
		}
		last := -1
		for _, r := range reasons {
			i := slices.Index(policyReasonOrder[:], r)
			if i <= last {
				t.Fatalf("got reasons %v, want each once in the fixed order", reasons)
			}
			last = i
		}
		err := p.Check(user, password)
		if (err != nil) != (got == StrengthRisky) {
			t.Fatalf("Check: got %v for a %v password", err, got)
		}
		if err != nil {
			want := (&RefusedError{Reasons: reasons}).Error()
			if err.Error() != want {
				t.Fatalf("got message %q, want %q", err.Error(), want)
			}
		}
	})
}

func BenchmarkEvaluate(b *testing.B) {
	p := Policy{MinLength: 8, MaxLength: 64}
	for _, bc := range []struct{ name, password string }{
		{"accepted", "Gatto!Nero77"},
		{"disguised", "P@ssw0rd!2026"},
		{"refused", "Gatto!abcd7"},
		{"longest", strings.Repeat("Gatto!Nero77", 5) + "Luna"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Evaluate("admin", bc.password)
			}
		})
	}
}
