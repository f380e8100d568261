package vtcon

import (
	"fmt"
	"image/color"

	"nvrmenu/internal/palette"
)

// Palette is the 16-colour palette the daemon sets on a virtual console:
// internal/palette's Console, the one the menu's style table is proven
// legible in, as colours.
var Palette = func() (p [16]color.RGBA) {
	for i, c := range palette.Console {
		p[i] = color.RGBA{c.R, c.G, c.B, 0xff}
	}
	return p
}()

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

// DefaultColoursSequence makes fg on bg (0-7) the console's default
// colours, what ESC [ m gives and what erased cells and fbcon's margins
// are painted in: ESC [ 8 ] makes the current pair the default
// (console_codes(4)).
func DefaultColoursSequence(fg, bg uint8) []byte {
	return fmt.Appendf(nil, "\x1b[0;%d;%dm\x1b[8]\x1b[0m", 30+fg&7, 40+bg&7)
}
