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
