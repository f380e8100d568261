package usb

import (
	"testing"

	"nvrmenu/internal/termsafe"
)

func TestDisplaySafeIsTermsafe(t *testing.T) {
	for _, s := range []string{"NVR0012345_20261125_0930.nvrguid", "a\x1b[31mred\u202E\xff"} {
		if got, want := DisplaySafe(s), termsafe.String(s); got != want {
			t.Errorf("DisplaySafe(%q) = %q, want %q", s, got, want)
		}
	}
}

// assertDisplaySafe fails the test when s holds anything DisplaySafe
// removes.
func assertDisplaySafe(t *testing.T, s string) {
	t.Helper()
	if !termsafe.IsSafe(s) {
		t.Errorf("%q: not safe for the terminal", s)
	}
}
