package palette

import (
	"math"
	"testing"
)

func TestContrast(t *testing.T) {
	for _, tc := range []struct {
		a, b RGB
		want float64
	}{
		{RGB{0, 0, 0}, RGB{255, 255, 255}, 21},
		{RGB{255, 255, 255}, RGB{0, 0, 0}, 21},
		{RGB{0x77, 0x77, 0x77}, RGB{255, 255, 255}, 4.48},
		{RGB{0xAA, 0xAA, 0xAA}, RGB{0, 0, 0}, 9.04},
		{RGB{10, 20, 30}, RGB{10, 20, 30}, 1},
	} {
		if got := Contrast(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("Contrast(%v, %v) = %.3f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestConsolePairs holds Console to what its comment promises: the pairs
// the menu is built on reach 4.5:1.
func TestConsolePairs(t *testing.T) {
	for _, bg := range []int{0, 1, 2, 4, 5, 6} {
		for fg := 8; fg < 16; fg++ {
			if (fg == 8 || fg == 9 || fg == 12 || fg == 13) && bg != 0 && bg != 4 {
				continue // grey, bright red, blue and magenta: on black and navy only
			}
			if c := Contrast(Console[fg], Console[bg]); c < 4.5 {
				t.Errorf("bright %d on %d: %.2f:1, want 4.5", fg, bg, c)
			}
		}
	}
	for _, bg := range []int{3, 7} {
		for _, fg := range []int{0, 4} {
			if c := Contrast(Console[fg], Console[bg]); c < 4.5 {
				t.Errorf("%d on light %d: %.2f:1, want 4.5", fg, bg, c)
			}
		}
	}
	for _, bg := range []int{0, 4} {
		if c := Contrast(Console[7], Console[bg]); c < 4.5 {
			t.Errorf("7 on %d: %.2f:1", bg, c)
		}
	}
	// Distinct strength-meter colours: red, amber, yellow, green.
	for i, a := range []int{9, 3, 11, 10} {
		for _, b := range []int{9, 3, 11, 10}[i+1:] {
			if Console[a] == Console[b] {
				t.Errorf("colours %d and %d are the same", a, b)
			}
		}
	}
}
