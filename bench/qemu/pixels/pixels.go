// Package pixels reads the Linux framebuffer console back from its pixels
// alone: a screendump of the recorder's HDMI console cut into the cell grid
// of the font the daemon loaded, each cell matched against that font's
// glyphs, giving its character, its ink and background colours, whether the
// console's cursor is on it, and the cells that match no glyph.
//
// It is the QEMU bench's eyes (bench/qemu), kept apart from QEMU so that
// its own tests, which draw screens with the font in plain Go, run in the
// normal suite. It knows fbcon's drawing rules, not the menu: a cell is
// one glyph in two colours; the underline cursor inverts a cell's bottom
// rows (two for fonts of 10 rows or more, one below); a cell of one colour
// reads as a space on that colour (a full block looks the same).
package pixels

import (
	"image"
	"image/color"
	"strings"

	"nvrmenu/internal/palette"
	"nvrmenu/internal/vtcon/psf"
)

// Unmatched is the rune a cell that matches no glyph reads as in a
// screen's text: it is in none of our fonts, so no glyph reads as it.
const Unmatched = '\u2370' // ⍰

// Cell is one character cell as read from the pixels.
type Cell struct {
	// Rune is what the cell shows: the canonical rune of its glyph (see
	// Reader.Normalise), ' ' for a cell of one colour, Unmatched when no
	// glyph of the font draws these pixels.
	Rune rune
	// Glyph is the font's glyph index drawn there, -1 when unmatched.
	Glyph int
	// FG and BG are the ink and the background colours. A cell of one
	// colour has no ink: FG is BG.
	FG, BG color.RGBA
	// Ink is the number of ink pixels.
	Ink int
	// Cursor reports the console's underline cursor on the cell.
	Cursor bool
}

// Matched reports whether a glyph of the font draws the cell.
func (c Cell) Matched() bool { return c.Glyph >= 0 }

// Contrast is the WCAG 2 contrast ratio between the cell's ink and its
// background.
func (c Cell) Contrast() float64 { return palette.Contrast(rgb(c.FG), rgb(c.BG)) }

func rgb(c color.RGBA) palette.RGB { return palette.RGB{R: c.R, G: c.G, B: c.B} }

// glyphKey is a glyph's bitmap as a map key: Height rows of Pitch bytes,
// the bits beyond Width cleared.
type glyphKey string

// Reader reads screens drawn in one font. It is safe for concurrent use.
type Reader struct {
	font       *psf.Font
	pitch      int
	rowMask    []byte           // per byte of a row: the bits inside Width
	byBitmap   map[glyphKey]int // bitmap → the glyph that reads for it
	canonical  []rune           // glyph → its rune, 0 for a glyph that draws none
	cursorRows int
	blank      int // the glyph of ' '
}

// NewReader prepares a reader for screens drawn with font. Glyphs that
// look the same (the kernel cannot tell them apart either: ┌ and ╭, - and
// – in our font) read as one rune: a space, else printable ASCII, else the
// lowest code point among those they draw.
func NewReader(font *psf.Font) *Reader {
	r := &Reader{
		font:     font,
		pitch:    font.Pitch(),
		byBitmap: make(map[glyphKey]int),
	}
	r.rowMask = make([]byte, r.pitch)
	for x := 0; x < font.Width; x++ {
		r.rowMask[x/8] |= 0x80 >> (x % 8)
	}
	r.cursorRows = 1
	if font.Height >= 10 {
		r.cursorRows = 2
	}
	best := make(map[glyphKey]rune)
	for g := range font.Glyphs {
		key := r.key(font.Glyphs[g])
		for _, c := range font.Unicode[g] {
			if old, ok := best[key]; !ok || better(c, old) {
				best[key] = c
				r.byBitmap[key] = g
			}
		}
	}
	r.canonical = make([]rune, font.Len())
	for g := range font.Glyphs {
		if c, ok := best[r.key(font.Glyphs[g])]; ok {
			r.canonical[g] = c
		}
	}
	r.blank = r.byBitmap[r.key(make([]byte, font.Height*r.pitch))]
	return r
}

// better reports whether rune a is a better name than b for a glyph.
func better(a, b rune) bool {
	rank := func(c rune) int {
		switch {
		case c == ' ':
			return 0
		case c > ' ' && c < 0x7f:
			return 1
		}
		return 2
	}
	if rank(a) != rank(b) {
		return rank(a) < rank(b)
	}
	return a < b
}

func (r *Reader) key(bitmap []byte) glyphKey {
	b := make([]byte, len(bitmap))
	for i := range b {
		b[i] = bitmap[i] & r.rowMask[i%r.pitch]
	}
	return glyphKey(b)
}

// Font is the font the reader matches against.
func (r *Reader) Font() *psf.Font { return r.font }

// Normalise returns s as a screen drawn in the reader's font reads: each
// rune replaced by the rune its glyph reads as (for our font: ╭ as ┌, – as
// -). A rune the font lacks stays as it is: the console would draw the
// replacement glyph for it, so the text is not found.
func (r *Reader) Normalise(s string) string {
	return strings.Map(func(c rune) rune {
		if c == '\n' || c == ' ' {
			return c
		}
		g, ok := r.font.Index(c)
		if !ok || r.canonical[g] == 0 {
			return c
		}
		return r.canonical[g]
	}, s)
}

// Glyph returns the glyph that reads for rune c, as Read would report it.
func (r *Reader) Glyph(c rune) (int, bool) {
	g, ok := r.font.Index(c)
	if !ok {
		return 0, false
	}
	return r.byBitmap[r.key(r.font.Glyphs[g])], true
}

// Read cuts img into cells of the font's size from its top left corner
// (fbcon draws there; what is left at the right and the bottom is margin)
// and reads each.
func (r *Reader) Read(img *image.RGBA) *Screen {
	b := img.Bounds()
	s := &Screen{
		Cols:       b.Dx() / r.font.Width,
		Rows:       b.Dy() / r.font.Height,
		CellWidth:  r.font.Width,
		CellHeight: r.font.Height,
		Image:      img,
		reader:     r,
	}
	bits := make([]byte, r.font.Height*r.pitch)
	s.Cells = make([][]Cell, s.Rows)
	var ambiguous []image.Point
	for y := 0; y < s.Rows; y++ {
		s.Cells[y] = make([]Cell, s.Cols)
		for x := 0; x < s.Cols; x++ {
			c, twoWays := r.readCell(img, b.Min.X+x*r.font.Width, b.Min.Y+y*r.font.Height, bits)
			s.Cells[y][x] = c
			if twoWays {
				ambiguous = append(ambiguous, image.Pt(x, y))
			}
		}
	}
	for _, p := range ambiguous {
		s.settle(p.X, p.Y)
	}
	return s
}

// readCell reads the cell whose top left pixel is x0, y0. twoWays reports
// a cell that reads as a glyph either way round (▀ in one pair of colours
// is ▄ in the other): Read settles it by its neighbours.
func (r *Reader) readCell(img *image.RGBA, x0, y0 int, bits []byte) (c Cell, twoWays bool) {
	w, h := r.font.Width, r.font.Height
	base := img.PixOffset(x0, y0)
	pix := img.Pix
	a := color.RGBA{pix[base], pix[base+1], pix[base+2], 0xff}
	var bcol color.RGBA
	hasB, many := false, false
	clear(bits)
	for py := 0; py < h; py++ {
		off := base + py*img.Stride
		row := py * r.pitch
		for px := 0; px < w; px++ {
			p := pix[off+4*px : off+4*px+3 : off+4*px+3]
			if p[0] == a.R && p[1] == a.G && p[2] == a.B {
				bits[row+px/8] |= 0x80 >> (px % 8)
				continue
			}
			q := color.RGBA{p[0], p[1], p[2], 0xff}
			switch {
			case !hasB:
				bcol, hasB = q, true
			case q != bcol:
				many = true
			}
		}
	}
	unmatched := Cell{Rune: Unmatched, Glyph: -1, FG: a, BG: a}
	if many {
		return unmatched, false
	}
	if !hasB {
		return Cell{Rune: ' ', Glyph: r.blank, FG: a, BG: a}, false
	}
	// Ink is A, or ink is B; then the same with the cursor's rows undone.
	type way struct {
		g      int
		fg, bg color.RGBA
		ink    int
		cursor bool
	}
	var found []way
	try := func(cursor bool) {
		if g, ok := r.byBitmap[glyphKey(bits)]; ok {
			found = append(found, way{g, a, bcol, r.count(bits), cursor})
		}
		r.invert(bits, 0, h)
		if g, ok := r.byBitmap[glyphKey(bits)]; ok {
			found = append(found, way{g, bcol, a, r.count(bits), cursor})
		}
		r.invert(bits, 0, h)
	}
	try(false)
	if len(found) == 0 {
		r.invert(bits, h-r.cursorRows, h)
		try(true)
	}
	switch len(found) {
	case 0:
		unmatched.BG = bcol
		return unmatched, false
	case 1:
		f := found[0]
		return r.cell(f.g, f.fg, f.bg, f.ink, f.cursor), false
	}
	// Both ways round: the one with less ink, unless they tie.
	f, g := found[0], found[1]
	if g.ink < f.ink {
		f, g = g, f
	}
	return r.cell(f.g, f.fg, f.bg, f.ink, f.cursor), f.ink == g.ink
}

func (r *Reader) cell(g int, fg, bg color.RGBA, ink int, cursor bool) Cell {
	c := Cell{Rune: r.canonical[g], Glyph: g, FG: fg, BG: bg, Ink: ink, Cursor: cursor}
	if ink == 0 {
		c.FG = bg
	}
	return c
}

// invert flips rows y0 to y1 of a bitmap, inside the font's width.
func (r *Reader) invert(bits []byte, y0, y1 int) {
	for i := y0 * r.pitch; i < y1*r.pitch; i++ {
		bits[i] ^= r.rowMask[i%r.pitch]
	}
}

func (r *Reader) count(bits []byte) int {
	n := 0
	for _, b := range bits {
		for ; b != 0; b &= b - 1 {
			n++
		}
	}
	return n
}

// settle decides a cell that reads either way round: the way whose
// background is its nearest neighbour's on the same row (left first), or
// the one above or below it.
func (s *Screen) settle(x, y int) {
	c := s.Cells[y][x]
	other, ok := s.reader.otherWay(c)
	if !ok {
		return
	}
	for _, p := range []image.Point{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
		if p.X < 0 || p.Y < 0 || p.X >= s.Cols || p.Y >= s.Rows {
			continue
		}
		n := s.Cells[p.Y][p.X]
		switch n.BG {
		case c.BG:
			return
		case other.BG:
			s.Cells[y][x] = other
			return
		}
	}
}

// otherWay is c read the other way round: its colours swapped, the
// glyph of the complementary bitmap.
func (r *Reader) otherWay(c Cell) (Cell, bool) {
	if c.Glyph < 0 {
		return Cell{}, false
	}
	bits := []byte(r.key(r.font.Glyphs[c.Glyph]))
	r.invert(bits, 0, r.font.Height)
	g, ok := r.byBitmap[glyphKey(bits)]
	if !ok {
		return Cell{}, false
	}
	return r.cell(g, c.BG, c.FG, r.count(bits), c.Cursor), true
}
