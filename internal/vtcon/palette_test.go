package vtcon

import (
	"bytes"
	"image/color"
	"strings"
	"testing"
)

func TestPaletteSequence(t *testing.T) {
	seq := PaletteSequence()
	if want := "\x1b]P0000000\x1b]P1aa0000"; !bytes.HasPrefix(seq, []byte(want)) {
		t.Errorf("sequence starts %q, want %q", seq[:20], want)
	}
	if want := "\x1b]P4000080"; !bytes.Contains(seq, []byte(want)) {
		t.Errorf("no %q (navy) in %q", want, seq)
	}
	if want := "\x1b]Pbffff55"; !bytes.Contains(seq, []byte(want)) {
		t.Errorf("no %q (yellow, index 11 as one hex digit) in %q", want, seq)
	}
	if want := "\x1b]Pfffffff"; !bytes.HasSuffix(seq, []byte(want)) {
		t.Errorf("sequence ends %q, want %q", seq[len(seq)-10:], want)
	}
	if n := strings.Count(string(seq), "\x1b]P"); n != 16 || len(seq) != 16*10 {
		t.Errorf("%d entries in %d bytes, want 16 in 160", n, len(seq))
	}
	if ResetPaletteSequence != "\x1b]R" {
		t.Errorf("reset is %q", ResetPaletteSequence)
	}
}

func TestContrast(t *testing.T) {
	black, white := color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}
	if got := Contrast(black, white); got < 20.99 || got > 21.01 {
		t.Errorf("black on white: %.2f, want 21", got)
	}
	if got := Contrast(white, white); got != 1 {
		t.Errorf("white on white: %.2f, want 1", got)
	}
	// Today's invisible dialog, in the console's default palette: #AAAAAA
	// on #AAAAAA.
	grey := color.RGBA{0xaa, 0xaa, 0xaa, 255}
	if got := Contrast(grey, grey); got != 1 {
		t.Errorf("grey on grey: %.2f", got)
	}
}

// TestPalettePairs holds Palette to what its comment promises: the pairs
// the menu is built on reach 4.5:1.
func TestPalettePairs(t *testing.T) {
	for _, bg := range []int{0, 1, 2, 4, 5, 6} {
		for fg := 8; fg < 16; fg++ {
			if fg == 8 && bg != 0 && bg != 4 {
				continue // grey is for disabled text on black and navy only
			}
			if fg == 12 && bg != 0 && bg != 4 {
				continue // light blue: on black and navy
			}
			if (fg == 9 || fg == 13) && bg != 0 && bg != 4 {
				continue // bright red and magenta: on black and navy
			}
			if c := Contrast(Palette[fg], Palette[bg]); c < 4.5 {
				t.Errorf("bright %d on %d: %.2f:1, want 4.5", fg, bg, c)
			}
		}
	}
	for _, bg := range []int{3, 7} {
		for _, fg := range []int{0, 4} {
			if c := Contrast(Palette[fg], Palette[bg]); c < 4.5 {
				t.Errorf("%d on light %d: %.2f:1, want 4.5", fg, bg, c)
			}
		}
	}
	// Plain silver text (colour 7, no bold) on navy and black.
	for _, bg := range []int{0, 4} {
		if c := Contrast(Palette[7], Palette[bg]); c < 4.5 {
			t.Errorf("7 on %d: %.2f:1", bg, c)
		}
	}
	// Distinct strength-meter colours: red, amber, yellow, green.
	for i, a := range []int{9, 3, 11, 10} {
		for _, b := range []int{9, 3, 11, 10}[i+1:] {
			if Palette[a] == Palette[b] {
				t.Errorf("colours %d and %d are the same", a, b)
			}
		}
	}
}
