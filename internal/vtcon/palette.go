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

// Loaded is Palette in the order the console holds it: entry i shows
// Palette[palette.ConsoleSlot(i)] (black and the background blue swapped).
// What a program writing colour numbers to the console gets.
var Loaded = func() (p [16]color.RGBA) {
	for i := range p {
		p[i] = Palette[palette.ConsoleSlot(uint8(i))]
	}
	return p
}()

// PaletteSequence is what sets Loaded on a Linux console: ESC ] P n rrggbb
// for each entry n (console_codes(4)).
func PaletteSequence() []byte {
	var b []byte
	for i, c := range Loaded {
		b = fmt.Appendf(b, "\x1b]P%x%02x%02x%02x", i, c.R, c.G, c.B)
	}
	return b
}

// ResetPaletteSequence puts the console's default palette back.
const ResetPaletteSequence = "\x1b]R"
