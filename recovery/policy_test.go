package recovery

import (
	"bufio"
	"slices"
	"strings"
	"testing"
)

func TestPasswordPolicy(t *testing.T) {
	p := DefaultPasswordPolicy()
	for _, tc := range []struct {
		password string
		want     Strength
		reasons  []PolicyReason
	}{
		{"Gatto!Nero77", StrengthStrong, nil},
		{"ciaomondo9", StrengthWeak, nil},
		{"CiaoMondo9", StrengthMedium, nil},
		{"ciaomondo9!x", StrengthStrong, nil}, // 3 classes and 12 characters
		{"Ciao Mondo 9", StrengthStrong, nil}, // space is a special
		{"Corto1!", StrengthRisky, []PolicyReason{ReasonTooShort}},
		{"Lunghissima!Password99", StrengthRisky, []PolicyReason{ReasonTooLong}},
		{"soloparole", StrengthRisky, []PolicyReason{ReasonTooFewClasses}},
		{"12345987", StrengthRisky, []PolicyReason{ReasonTooFewClasses, ReasonSequence}},
		{"città!Bella9", StrengthRisky, []PolicyReason{ReasonNotPrintableASCII}},
		{"Tab\tTab9x", StrengthRisky, []PolicyReason{ReasonNotPrintableASCII}},
		{"myAdmin#99", StrengthRisky, []PolicyReason{ReasonContainsUser, ReasonContainsAdmin}},
		{"xNIMDA#99", StrengthRisky, []PolicyReason{ReasonContainsUserReversed}},
		{"Gatto!abcd7", StrengthRisky, []PolicyReason{ReasonSequence}},
		{"Gatto!DCBA7", StrengthRisky, []PolicyReason{ReasonSequence}},
		{"Gatto!9876x", StrengthRisky, []PolicyReason{ReasonSequence}},
		{"Gatto!aaaa7", StrengthRisky, []PolicyReason{ReasonRepetition}},
		{"Gatto!!!!!7", StrengthRisky, []PolicyReason{ReasonRepetition}},
		{"abc!1234", StrengthRisky, []PolicyReason{ReasonSequence}},
		{"Password1", StrengthRisky, []PolicyReason{ReasonCommonPassword}},
		{"Iloveyou2!", StrengthWeak, nil}, // iloveyou dressed up
		{"Password123!", StrengthWeak, nil},
		{"P@ssw0rd!", StrengthWeak, nil},
		{"Sunshine#2026", StrengthWeak, nil},
	} {
		t.Run(tc.password, func(t *testing.T) {
			got, reasons := p.Evaluate(AdminUser, tc.password)
			if got != tc.want || !slices.Equal(reasons, tc.reasons) {
				t.Fatalf("Evaluate = %v %v, want %v %v", got, reasons, tc.want, tc.reasons)
			}
			err := p.Check(AdminUser, tc.password)
			if (err != nil) != (tc.want == StrengthRisky) {
				t.Fatalf("Check = %v for a %v password", err, got)
			}
			if err != nil && strings.Contains(err.Error(), tc.password) {
				t.Fatalf("refusal %q shows the password", err)
			}
		})
	}
}

func TestMaxLengthConfigurable(t *testing.T) {
	long := "Lunghissima!Password99 ma sicura"
	if DefaultPasswordPolicy().Check(AdminUser, long) == nil {
		t.Fatal("32 characters accepted at the default maximum of 16")
	}
	p := PasswordPolicy{MinLength: 8, MaxLength: 64}
	if s, r := p.Evaluate(AdminUser, long); s != StrengthStrong {
		t.Fatalf("with max 64: %v %v", s, r)
	}
	for _, bad := range []PasswordPolicy{{8, 65}, {8, 7}, {6, 16}, {0, 0}} {
		if bad.Validate() == nil {
			t.Errorf("policy %+v accepted", bad)
		}
	}
}

func TestEveryBlocklistEntryIsRefused(t *testing.T) {
	if n := blocklistLen(); n < 10_000 {
		t.Fatalf("blocklist has %d entries, want at least 10,000", n)
	}
	p := PasswordPolicy{MinLength: 8, MaxLength: 64}
	sc := bufio.NewScanner(strings.NewReader(blocklist))
	prev := ""
	for sc.Scan() {
		w := sc.Text()
		if w <= prev {
			t.Fatalf("blocklist not sorted or has duplicates at %q", w)
		}
		prev = w
		for _, variant := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			if s, _ := p.Evaluate(AdminUser, variant); s != StrengthRisky {
				t.Fatalf("blocklisted %q accepted as %v", variant, s)
			}
		}
	}
	for _, w := range []string{"Gatto!Nero77", "zzzzzzzz0", "", "~~~~~~~~~~~~"} {
		var buf [64]byte
		if w != "zzzzzzzz0" && blocklisted(lowerInto(buf[:0], w)) {
			t.Errorf("%q is blocklisted", w)
		}
	}
	for _, w := range []string{"password", "12345678", "iloveyou"} {
		if !blocklisted([]byte(w)) {
			t.Errorf("%q is not blocklisted", w)
		}
	}
}

func TestEvaluateDoesNotAllocate(t *testing.T) {
	p := DefaultPasswordPolicy()
	if n := testing.AllocsPerRun(100, func() { p.Evaluate(AdminUser, "Gatto!Nero77") }); n != 0 {
		t.Fatalf("Evaluate of an accepted password allocates %v times", n)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	p := DefaultPasswordPolicy()
	for b.Loop() {
		p.Evaluate(AdminUser, "Gatto!Nero77")
	}
}
