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

// Console is the palette the daemon sets on a Linux virtual console. The
// values differ from the kernel's VGA defaults where a pair the menu uses
// would fall below 4.5:1: the background blue (4) is darker, the bright
// red (9) lighter, and the brown (3) is an orange light enough for black
// text on it (the focused button) and for orange text on black and on the
// background blue (the strength meter's "weak", a method not set up).
var Console = [16]RGB{
	{0x00, 0x00, 0x00}, // 0 black
	{0xAA, 0x00, 0x00}, // 1 red
	{0x00, 0xAA, 0x00}, // 2 green
	{0xD7, 0x87, 0x00}, // 3 orange
	{0x00, 0x00, 0x5F}, // 4 navy: the menu's background
	{0xAA, 0x00, 0xAA}, // 5 magenta
	{0x00, 0xAA, 0xAA}, // 6 cyan
	{0xAA, 0xAA, 0xAA}, // 7 grey
	{0x55, 0x55, 0x55}, // 8 dark grey
	{0xFF, 0x6E, 0x6E}, // 9 bright red
	{0x55, 0xFF, 0x55}, // 10 bright green
	{0xFF, 0xFF, 0x55}, // 11 bright yellow: a true yellow
	{0x87, 0x87, 0xFF}, // 12 bright blue: light enough to read on navy
	{0xFF, 0x55, 0xFF}, // 13 bright magenta
	{0x55, 0xFF, 0xFF}, // 14 bright cyan
	{0xFF, 0xFF, 0xFF}, // 15 bright white
}

// ConsoleSlot is the console's palette entry that shows Console's colour i,
// and the colour an entry shows (it is its own inverse): ANSI's order, but
// for black and the background blue swapped, and their bright forms with
// them (bold brightens an entry by 8). Entry 0 is what fbcon paints the
// monitor's edge beyond the cells with (its margin colour: black unless the
// kernel's command line says fbcon=margin:N), and what a cleared screen is:
// while the menu runs, the menu's own blue, so no band of another colour
// runs along the screen's edge; with the kernel's palette back, black.
func ConsoleSlot(i uint8) uint8 {
	switch i {
	case 0:
		return 4
	case 4:
		return 0
	case 8:
		return 12
	case 12:
		return 8
	}
	return i
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
