package mailaddr

import (
	"errors"
	"net/mail"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
		why  string // part of the error
	}{
		{"mario@esempio.it", true, ""},
		{"m.rossi+nvr@posta.esempio.it", true, ""},
		{"pw_recovery@example.com", true, ""},
		{"m_rossi%nvr-1@x-y.example", true, ""},
		// Valid for RFC 5322, refused here: see the package comment.
		{"o'brien@x-y.example", false, "character '\\'' not allowed"},
		{"x`reboot`@example.com", false, "not allowed"},
		{"$(id)@example.com", false, "not allowed"},
		{"a|b@example.com", false, "not allowed"},
		{"{weird}@example.com", false, "not allowed"},
		{"MARIO@ESEMPIO.IT", true, ""},
		{strings.Repeat("a", 64) + "@esempio.it", true, ""},
		{"a@" + strings.Repeat("b", 63) + ".it", true, ""},
		{"", false, "empty"},
		{"mario", false, "no @"},
		{"@esempio.it", false, "before @: empty"},
		{"mario@", false, "at least one dot"},
		{"mario@localhost", false, "at least one dot"},
		{"Mario <mario@esempio.it>", false, "not allowed"},
		{"<mario@esempio.it>", false, "not allowed"},
		{"\"mario rossi\"@esempio.it", false, "not allowed"},
		{"mario(comment)@esempio.it", false, "not allowed"},
		{"mario@esempio..it", false, "twice in a row"},
		{"mario@.esempio.it", false, "at the start"},
		{"mario@esempio.it.", false, "at the end"},
		{".mario@esempio.it", false, "at the start"},
		{"mario.@esempio.it", false, "at the end"},
		{"ma..rio@esempio.it", false, "twice in a row"},
		{"mar io@esempio.it", false, "not allowed"},
		{" mario@esempio.it", false, "not allowed"},
		{"mario@esempio.it\n", false, "not allowed"},
		{"màrio@esempio.it", false, "character 'à' not allowed"},
		{"mario@società.it", false, "not allowed"},
		{"mario@esempio_it.com", false, "not allowed"},
		{"mario@-esempio.it", false, "hyphen"},
		{"mario@esempio-.it", false, "hyphen"},
		{"mario@[192.0.2.1]", false, "not allowed"},
		{"mario@192.0.2.1", false, "digits only"},
		{"mario@esempio.123", false, "digits only"},
		{"mario@123.it", true, ""},
		{"a@b@esempio.it", false, "not allowed"},
		{strings.Repeat("a", 65) + "@esempio.it", false, "before @ has 65"},
		{"a@" + strings.Repeat("b", 64) + ".it", false, "64 characters between dots"},
		{"a@" + strings.Repeat("b.", 126) + "it", false, "at most 254"},
	} {
		err := Check(tc.addr)
		if (err == nil) != tc.ok {
			t.Errorf("Check(%q) = %v, want ok=%v", tc.addr, err, tc.ok)
			continue
		}
		if err != nil && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.why)) {
			t.Errorf("Check(%q) = %v, want ErrInvalid saying %q", tc.addr, err, tc.why)
		}
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
