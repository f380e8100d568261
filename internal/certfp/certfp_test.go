package certfp

import (
	"errors"
	"strings"
	"testing"
)

func TestForms(t *testing.T) {
	f := Of([]byte("certificate"))
	shown, stored := f.String(), f.Hex()
	if len(shown) != 95 || strings.ToUpper(shown) != shown || strings.Count(shown, ":") != 31 {
		t.Errorf("String = %q, want 32 upper-case pairs joined by colons", shown)
	}
	if len(stored) != 64 || strings.ToLower(stored) != stored || strings.ReplaceAll(strings.ToLower(shown), ":", "") != stored {
		t.Errorf("Hex = %q, want the same 64 digits in lower case", stored)
	}
	a, b := f.Halves()
	if a+":"+b != shown || len(a) != 47 {
		t.Errorf("Halves = %q, %q", a, b)
	}
	for _, typed := range []string{shown, stored, strings.ToLower(shown), " " + stored + "\n", strings.ReplaceAll(shown, ":", " "), strings.ReplaceAll(shown, ":", "-")} {
		got, err := Parse(typed)
		if err != nil || !got.Equal(f) {
			t.Errorf("Parse(%q) = %v, %v; want %s", typed, got, err, shown)
		}
	}
	for _, bad := range []string{"", stored[:62], stored + "00", "g" + stored[1:]} {
		if _, err := Parse(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q) = %v, want ErrMalformed", bad, err)
		}
	}
	var zero Fingerprint
	if !zero.IsZero() || zero.String() != "" || zero.Hex() != "" || f.IsZero() || f.Equal(zero) {
		t.Error("the zero fingerprint is not told apart")
	}
}
