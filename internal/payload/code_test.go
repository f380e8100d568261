package payload

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCode(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"ABCD1234", "ABCD1234", true},
		{"abcd-1234", "ABCD1234", true},
		{" ab cd 12 34 ", "ABCD1234", true},
		{"O0IL-1234", "00111234", true},
		{"ABCD123", "", false},
		{"ABCD12345", "", false},
		{"ABCU1234", "", false}, // U is not in the alphabet
		{"ABCD_1234", "", false},
		{"ÀBCD1234", "", false},
		{"", "", false},
	} {
		got, err := ParseCode(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseCode(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrCodeMalformed) {
			t.Errorf("error %v does not wrap ErrCodeMalformed", err)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"ABCD-1234", "abcd 1234", "O0IL1234", "", "ÀBCD1234", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := ParseCode(s)
		if err != nil {
			return
		}
		if len(code) != 8 {
			t.Fatalf("code %q has %d characters", code, len(code))
		}
		for _, r := range code {
			if !strings.ContainsRune(crockford, r) {
				t.Fatalf("code %q has %q outside the alphabet", code, r)
			}
		}
		again, err := ParseCode(code)
		if err != nil || again != code {
			t.Fatalf("canonical code %q does not parse to itself", code)
		}
	})
}
