// Package octant names the glyphs that draw a character cell as a grid of
// two columns by four rows of dots: on a console cell twice as high as it
// is wide (8x16, 12x24, 16x32 pixels) each dot is a square of a quarter of
// the cell's height, which is what a QR code's modules need.
//
// Unicode 16 has these glyphs as the octants (U+1CD00 and after, with
// older blocks such as ▀ ▄ ▌ ▐ █ for some patterns), but the Linux
// console's Unicode map takes 16-bit code points only: the console font
// the daemon loads (internal/vtcon, "NVR Console") draws them at the
// private-use code points U+E000 to U+E0FF instead, one per pattern, and
// the menu writes those. A terminal emulator draws nothing sensible there:
// the menu uses them only where the display says the font has them.
//
// It is a leaf package: constants and arithmetic, no device.
package octant

// Base is the code point of the empty pattern; pattern p is Base+p.
const Base = 0xE000

// Columns and Rows are the dots of a cell.
const Columns, Rows = 2, 4

// Bit is the pattern bit of the dot in column col (0 left, 1 right) and
// row row (0 top to 3 bottom): 1 << (2*row + col).
func Bit(col, row int) uint8 { return 1 << (Columns*row + col) }

// Rune is the code point that draws pattern p: the dots whose bits are set
// in the foreground colour, the others in the background colour.
func Rune(p uint8) rune { return Base + rune(p) }

// Pattern returns the pattern r draws, and false when r is not one of
// these code points.
func Pattern(r rune) (uint8, bool) {
	if r < Base || r > Base+0xff {
		return 0, false
	}
	return uint8(r - Base), true
}

// Dot reports whether the pixel x, y of a w x h cell lies in a dot that
// pattern p sets: the columns split the width in halves, the rows split
// the height in quarters.
func Dot(p uint8, x, y, w, h int) bool {
	col, row := x*Columns/w, y*Rows/h
	return p&Bit(col, row) != 0
}

// Equivalents are the patterns drawn by code points of their own in
// Unicode's older blocks, which fonts often have: a font may draw those
// patterns with the same glyph.
var Equivalents = map[uint8]rune{
	0x00: ' ',
	0xff: '█',
	0x0f: '▀',
	0xf0: '▄',
	0x55: '▌',
	0xaa: '▐',
	// The quadrants: each quarter is two dots by two.
	0x50: '▖', 0xa0: '▗', 0x05: '▘', 0x0a: '▝',
	0xf5: '▙', 0xa5: '▚', 0x5f: '▛', 0xaf: '▜', 0x5a: '▞', 0xfa: '▟',
}
