package mailaddr

import (
	"errors"
	"net/mail"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	const ok = Part(0)
	for _, tc := range []struct {
		addr string
		part Part   // ok: accepted
		why  string // part of the error
	}{
		{"mario@esempio.it", ok, ""},
		{"m.rossi+nvr@posta.esempio.it", ok, ""},
		{"pw_recovery@example.com", ok, ""},
		{"m_rossi%nvr-1@x-y.example", ok, ""},
		// Valid for RFC 5322, refused here: see the package comment.
		{"o'brien@x-y.example", PartLocal, "character '\\'' not allowed"},
		{"x`reboot`@example.com", PartLocal, "not allowed"},
		{"$(id)@example.com", PartLocal, "not allowed"},
		{"a|b@example.com", PartLocal, "not allowed"},
		{"{weird}@example.com", PartLocal, "not allowed"},
		{"MARIO@ESEMPIO.IT", ok, ""},
		{strings.Repeat("a", 64) + "@esempio.it", ok, ""},
		{"a@" + strings.Repeat("b", 63) + ".it", ok, ""},
		{"", PartEmpty, "empty"},
		{"mario", PartDomain, "no @"},
		{"@esempio.it", PartLocal, "before @: empty"},
		{"mario@", PartDomain, "at least one dot"},
		{"mario@localhost", PartDomain, "at least one dot"},
		{"Mario <mario@esempio.it>", PartLocal, "not allowed"},
		{"<mario@esempio.it>", PartLocal, "not allowed"},
		{"\"mario rossi\"@esempio.it", PartLocal, "not allowed"},
		{"mario(comment)@esempio.it", PartLocal, "not allowed"},
		{"mario@esempio..it", PartDomain, "twice in a row"},
		{"mario@.esempio.it", PartDomain, "at the start"},
		{"mario@esempio.it.", PartDomain, "at the end"},
		{".mario@esempio.it", PartLocal, "at the start"},
		{"mario.@esempio.it", PartLocal, "at the end"},
		{"ma..rio@esempio.it", PartLocal, "twice in a row"},
		{"mar io@esempio.it", PartLocal, "not allowed"},
		{" mario@esempio.it", PartLocal, "not allowed"},
		{"mario@esempio.it\n", PartDomain, "not allowed"},
		{"màrio@esempio.it", PartLocal, "character 'à' not allowed"},
		{"mario@società.it", PartDomain, "not allowed"},
		{"mario@esempio_it.com", PartDomain, "not allowed"},
		{"mario@-esempio.it", PartDomain, "hyphen"},
		{"mario@esempio-.it", PartDomain, "hyphen"},
		{"mario@[192.0.2.1]", PartDomain, "not allowed"},
		{"mario@192.0.2.1", PartTopLabel, "digits only"},
		{"mario@esempio.123", PartTopLabel, "digits only"},
		// The field trial's typo: no top-level domain has one letter.
		{"mario.rossi@gmail.c", PartTopLabel, "one character"},
		{"mario@esempio.i2", ok, ""},
		{"mario@123.it", ok, ""},
		{"a@b@esempio.it", PartDomain, "not allowed"},
		{strings.Repeat("a", 65) + "@esempio.it", PartLocal, "before @ has 65"},
		{"a@" + strings.Repeat("b", 64) + ".it", PartDomain, "64 characters between dots"},
		{"a@" + strings.Repeat("b.", 126) + "it", PartDomain, "at most 254"},
	} {
		err := Check(tc.addr)
		if (err == nil) != (tc.part == ok) {
			t.Errorf("Check(%q) = %v, want part %d", tc.addr, err, tc.part)
			continue
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.why) || PartOf(err) != tc.part {
			t.Errorf("Check(%q) = %v (part %d), want ErrInvalid saying %q, part %d", tc.addr, err, PartOf(err), tc.why, tc.part)
		}
		if !strings.HasPrefix(err.Error(), ErrInvalid.Error()+": ") {
			t.Errorf("Check(%q) = %q: config trims the %q prefix", tc.addr, err, ErrInvalid)
		}
	}
	if PartOf(errors.New("other")) != 0 {
		t.Error("PartOf of a foreign error is not 0")
	}
}

// FuzzCheck: whatever Check accepts is a bare address net/mail reads back
// as exactly itself, with no name.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"mario@esempio.it", "a.b+c@d-e.f", "\"q\"@x.it", "x@[1.2.3.4]", "a@b", "a..b@c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		if Check(addr) != nil {
			return
		}
		p, err := mail.ParseAddress(addr)
		if err != nil || p.Name != "" || p.Address != addr {
			t.Fatalf("Check accepted %q, which net/mail reads as %v, %v", addr, p, err)
		}
		if len(addr) > MaxLength || strings.ContainsFunc(addr, func(r rune) bool { return r <= ' ' || r > '~' }) {
			t.Fatalf("Check accepted %q: too long or not printable ASCII", addr)
		}
	})
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"mario@esempio.it": "m***o@esempio.it",
		"mo@esempio.it":    "m***@esempio.it",
		"m@esempio.it":     "m***@esempio.it",
		"broken":           "***",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}
