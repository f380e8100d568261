package vtcon

import "testing"

func TestParseVirtualSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w, h int
		ok   bool
	}{
		{"1920,1080\n", 1920, 1080, true},
		{"1280,800", 1280, 800, true},
		{"1280x800", 0, 0, false},
		{"0,0\n", 0, 0, false},
		{"", 0, 0, false},
	} {
		w, h, err := parseVirtualSize(tc.in)
		if (err == nil) != tc.ok || w != tc.w || h != tc.h {
			t.Errorf("parseVirtualSize(%q) = %d, %d, %v", tc.in, w, h, err)
		}
	}
}
