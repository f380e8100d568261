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
