package vtcon

import (
	"fmt"
	"image/color"
	"math"
)

// Palette is the 16-colour palette the daemon sets on a virtual console,
// by index: 0–7 are the backgrounds (and the foregrounds of plain text),
// 8–15 the bright foregrounds that bold text gets (see the package
// comment). The indices keep their ANSI meaning; the values are chosen so
// that the menu's pairs reach WCAG 2's 4.5:1 (palette_test.go checks them):
//
//   - every bright colour on black (0) and navy (4);
//   - bright yellow, green, cyan and white (10, 11, 14, 15) on the dark red,
//     green, magenta and teal backgrounds (1, 2, 5, 6);
//   - black (0) or navy (4) text on the light backgrounds amber (3) and
//     silver (7), and silver (7, plain) text on black and navy.
//
// Bright text on 3 or 7, and plain 1, 2, 5 or 6 text on a dark background,
// do not reach it.
var Palette = [16]color.RGBA{
	{0x00, 0x00, 0x00, 0xff}, // 0 black
	{0xaa, 0x00, 0x00, 0xff}, // 1 red: a dark red background
	{0x00, 0x70, 0x00, 0xff}, // 2 green: a dark green background
	{0xd7, 0xa0, 0x00, 0xff}, // 3 yellow (amber): a light background, for black text
	{0x00, 0x00, 0x80, 0xff}, // 4 blue: the menu's navy background
	{0x8b, 0x00, 0x8b, 0xff}, // 5 magenta: a dark background
	{0x00, 0x6a, 0x6a, 0xff}, // 6 cyan: a dark teal background, for input fields
	{0xc0, 0xc0, 0xc0, 0xff}, // 7 white (silver): dialogs and buttons, for black text
	{0x94, 0x94, 0x94, 0xff}, // 8 bright black (grey): also what AttrDim draws
	{0xff, 0x55, 0x55, 0xff}, // 9 bright red
	{0x55, 0xff, 0x55, 0xff}, // 10 bright green
	{0xff, 0xff, 0x55, 0xff}, // 11 bright yellow: a true yellow
	{0x87, 0x87, 0xff, 0xff}, // 12 bright blue: light enough to read on navy
	{0xff, 0x55, 0xff, 0xff}, // 13 bright magenta
	{0x55, 0xff, 0xff, 0xff}, // 14 bright cyan
	{0xff, 0xff, 0xff, 0xff}, // 15 bright white
}

// PaletteSequence is what sets Palette on a Linux console: ESC ] P n rrggbb
// for each index n (console_codes(4)).
func PaletteSequence() []byte {
	var b []byte
	for i, c := range Palette {
		b = fmt.Appendf(b, "\x1b]P%x%02x%02x%02x", i, c.R, c.G, c.B)
	}
	return b
}

// ResetPaletteSequence puts the console's default palette back.
const ResetPaletteSequence = "\x1b]R"

// Luminance is a colour's relative luminance (WCAG 2).
func Luminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast is the WCAG 2 contrast ratio of two colours, 1 to 21.
func Contrast(a, b color.RGBA) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
