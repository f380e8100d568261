// Package palette holds the 16 colours the menu is drawn in on each kind
// of screen, and the WCAG 2 contrast arithmetic that proves them legible.
//
// Console is what the daemon sets on a Linux virtual console (the
// recorder's HDMI monitor) with the console's palette sequence; Xterm is
// xterm's default palette, what most terminal emulators show for the 16
// ANSI colours. Indices keep their ANSI meaning (0 black … 7 grey, 8–15
// their bright forms), so a program that knows nothing of ours still draws
// sensibly. It is a leaf package: no device, no file.
package palette

import "math"

// RGB is one colour, 8 bits a channel.
type RGB struct{ R, G, B uint8 }

// Console is the palette the daemon sets on a Linux virtual console, by
// index: 0–7 are the backgrounds (and the foregrounds of plain text), 8–15
// the bright foregrounds that bold text gets (tcell's linux terminfo has 8
// colours; the console draws bold colour N as N+8). The values are chosen
// so that the menu's pairs reach WCAG 2's 4.5:1 (palette_test.go checks):
//
//   - every bright colour on black (0) and navy (4);
//   - bright yellow, green, cyan and white (10, 11, 14, 15) on the dark red,
//     green, magenta and teal backgrounds (1, 2, 5, 6);
//   - black (0) or navy (4) text on the light backgrounds amber (3) and
//     silver (7), and silver (7, plain) text on black and navy.
//
// Bright text on 3 or 7, and plain 1, 2, 5 or 6 text on a dark background,
// do not reach it.
var Console = [16]RGB{
	{0x00, 0x00, 0x00}, // 0 black
	{0xAA, 0x00, 0x00}, // 1 red: a dark red background
	{0x00, 0x70, 0x00}, // 2 green: a dark green background
	{0xD7, 0xA0, 0x00}, // 3 yellow (amber): a light background, for black text
	{0x00, 0x00, 0x80}, // 4 blue: the menu's navy background
	{0x8B, 0x00, 0x8B}, // 5 magenta: a dark background
	{0x00, 0x6A, 0x6A}, // 6 cyan: a dark teal background, for input fields
	{0xC0, 0xC0, 0xC0}, // 7 white (silver): dialogs and buttons, for black text
	{0x94, 0x94, 0x94}, // 8 bright black (grey): also what AttrDim draws
	{0xFF, 0x55, 0x55}, // 9 bright red
	{0x55, 0xFF, 0x55}, // 10 bright green
	{0xFF, 0xFF, 0x55}, // 11 bright yellow: a true yellow
	{0x87, 0x87, 0xFF}, // 12 bright blue: light enough to read on navy
	{0xFF, 0x55, 0xFF}, // 13 bright magenta
	{0x55, 0xFF, 0xFF}, // 14 bright cyan
	{0xFF, 0xFF, 0xFF}, // 15 bright white
}

// Xterm is xterm's default 16-colour palette.
var Xterm = [16]RGB{
	{0x00, 0x00, 0x00}, {0xCD, 0x00, 0x00}, {0x00, 0xCD, 0x00}, {0xCD, 0xCD, 0x00},
	{0x00, 0x00, 0xEE}, {0xCD, 0x00, 0xCD}, {0x00, 0xCD, 0xCD}, {0xE5, 0xE5, 0xE5},
	{0x7F, 0x7F, 0x7F}, {0xFF, 0x00, 0x00}, {0x00, 0xFF, 0x00}, {0xFF, 0xFF, 0x00},
	{0x5C, 0x5C, 0xFF}, {0xFF, 0x00, 0xFF}, {0x00, 0xFF, 0xFF}, {0xFF, 0xFF, 0xFF},
}

// Luminance is c's relative luminance, WCAG 2's definition: 0 for black,
// 1 for white.
func Luminance(c RGB) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast is the WCAG 2 contrast ratio of two colours, from 1 (the same)
// to 21 (black and white). Text needs at least 4.5.
func Contrast(a, b RGB) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
