package pixels

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
)

// Screen is one screendump read into cells.
type Screen struct {
	// Cols and Rows are the grid's size: the mode's size divided by the
	// font's, rounded down.
	Cols, Rows int
	// CellWidth and CellHeight are a cell's size in pixels.
	CellWidth, CellHeight int
	// Cells holds the cells, row by row: Cells[y][x].
	Cells [][]Cell
	// Image is the screendump itself.
	Image *image.RGBA

	reader   *Reader
	qrModule int // the last decoded QR code's module, in pixels
}

// Cell returns the cell at column x, row y.
func (s *Screen) Cell(x, y int) Cell { return s.Cells[y][x] }

// Line is row y's text, cell by cell.
func (s *Screen) Line(y int) string {
	rs := make([]rune, s.Cols)
	for x, c := range s.Cells[y] {
		rs[x] = c.Rune
	}
	return string(rs)
}

// String is the screen's text, one line per row, trailing spaces trimmed.
func (s *Screen) String() string {
	var b strings.Builder
	for y := range s.Rows {
		b.WriteString(strings.TrimRight(s.Line(y), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// Has reports whether text (normalised to the font, see Reader.Normalise)
// is on screen: on one line, or wrapped over several lines, its words one
// after the other (frames and blank lines between them do not count, and
// no other word may come between two of them).
func (s *Screen) Has(text string) bool {
	text = s.reader.Normalise(text)
	str := s.String()
	if strings.Contains(str, text) {
		return true
	}
	want := strings.Fields(text)
	if len(want) == 0 {
		return true
	}
	words := strings.FieldsFunc(flatten(str), isFrameOrSpace)
	for i := 0; i+len(want) <= len(words); i++ {
		match := true
		for j, w := range want {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// frameRunes are the lines that fence a screen's text.
const frameRunes = " │┃║|"

func isFrameOrSpace(r rune) bool {
	return r == ' ' || r == '\n' || (r >= 0x2500 && r <= 0x257f)
}

// flatten joins lines so that a wrapped sentence is found whole.
func flatten(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.Trim(line, frameRunes)
		if line == "" {
			continue
		}
		b.WriteString(strings.Join(strings.Fields(line), " ") + " ")
	}
	return b.String()
}

// Find returns the cell where text (normalised) starts on one line,
// scanning rows top to bottom, each left to right.
func (s *Screen) Find(text string) (x, y int, ok bool) {
	all := s.FindAll(text)
	if len(all) == 0 {
		return 0, 0, false
	}
	return all[0].X, all[0].Y, true
}

// FindAll returns every cell where text (normalised) starts on one line,
// in reading order.
func (s *Screen) FindAll(text string) []image.Point {
	want := []rune(s.reader.Normalise(text))
	var out []image.Point
	for y := range s.Rows {
		row := []rune(s.Line(y))
		for x := 0; x+len(want) <= len(row); x++ {
			if string(row[x:x+len(want)]) == string(want) {
				out = append(out, image.Pt(x, y))
			}
		}
	}
	return out
}

// FindButton returns where text starts on a button, not in a sentence:
// on a background of its own, as tview draws a button, its label padded
// with its colour, a few cells wider than the label and no more.
func (s *Screen) FindButton(text string) (x, y int, ok bool) {
	n := len([]rune(s.reader.Normalise(text)))
	for _, p := range s.FindAll(text) {
		bg := s.Cell(p.X, p.Y).BG
		left, right := p.X, p.X+n-1
		for left > 0 && s.Cell(left-1, p.Y).BG == bg {
			left--
		}
		for right+1 < s.Cols && s.Cell(right+1, p.Y).BG == bg {
			right++
		}
		if p.X > left && right > p.X+n-1 && right-left+1 <= n+buttonPadding {
			return p.X, p.Y, true
		}
	}
	return 0, 0, false
}

// buttonPadding is the most cells a button is wider than its label.
const buttonPadding = 6

// Below returns the text on the line under the first line holding label,
// from a little left of label's column on (a list's second line may start
// further left than its first line's marker), trimmed of frames and
// spaces: a list item's second line.
func (s *Screen) Below(label string) string {
	x, y, ok := s.Find(label)
	if !ok || y+1 >= s.Rows {
		return ""
	}
	line := []rune(s.Line(y + 1))
	return strings.Trim(string(line[max(0, x-4):]), frameRunes)
}

// Cursor returns the cell of the console's cursor, if it shows.
func (s *Screen) Cursor() (x, y int, ok bool) {
	for y, row := range s.Cells {
		for x, c := range row {
			if c.Cursor {
				return x, y, true
			}
		}
	}
	return 0, 0, false
}

// WritePNG writes the screendump as a PNG.
func (s *Screen) WritePNG(w io.Writer) error { return png.Encode(w, s.Image) }

// Problem is a cell that breaks a rule of Check.
type Problem struct {
	X, Y int
	Cell Cell
	What string
}

func (p Problem) String() string {
	return fmt.Sprintf("cell %d,%d %q (ink %s on %s): %s", p.X, p.Y, p.Cell.Rune, hex(p.Cell.FG), hex(p.Cell.BG), p.What)
}

func hex(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// Rules are what Check holds every cell to.
type Rules struct {
	// MinContrast is the least WCAG 2 contrast ratio between a cell's ink
	// and its background, for every text cell with ink.
	MinContrast float64
	// MinContrastFrames is the least for the cells of frames and blocks
	// (U+2500 to U+259F: box drawing, block elements and shades), which
	// are not text: WCAG 2's 1.4.11 asks 3:1 of the parts of a control.
	MinContrastFrames float64
	// Forbidden are runes no cell may show unless Allowed has them: the
	// font's replacement glyph and the ■ the kernel's own font draws for
	// runes it lacks.
	Forbidden []rune
	// Allowed are the runes the screen's expected texts hold.
	Allowed string
}

// IsFrame reports whether r draws a frame or a block rather than text.
func IsFrame(r rune) bool { return r >= 0x2500 && r <= 0x259f }

// DefaultForbidden are the runes of glyphs that stand for a missing one.
var DefaultForbidden = []rune{'\uFFFD', '■'}

// Check returns the cells that match no glyph, show a forbidden glyph, or
// have too little contrast, in reading order.
func (s *Screen) Check(rules Rules) []Problem {
	forbidden := map[int]rune{}
	for _, c := range rules.Forbidden {
		if strings.ContainsRune(s.reader.Normalise(rules.Allowed), c) {
			continue
		}
		if g, ok := s.reader.Glyph(c); ok {
			forbidden[g] = c
		}
	}
	var out []Problem
	for y, row := range s.Cells {
		for x, c := range row {
			switch {
			case !c.Matched():
				out = append(out, Problem{x, y, c, "matches no glyph of the font"})
			case forbidden[c.Glyph] != 0:
				out = append(out, Problem{x, y, c, fmt.Sprintf("shows %U, the glyph for a missing one", forbidden[c.Glyph])})
			case c.Ink > 0:
				min, what := rules.MinContrast, ""
				if IsFrame(c.Rune) {
					min, what = rules.MinContrastFrames, " for a frame or block"
				}
				if min > 0 && c.Contrast() < min {
					out = append(out, Problem{x, y, c, fmt.Sprintf("contrast %.2f:1, want at least %.1f:1%s", c.Contrast(), min, what)})
				}
			}
		}
	}
	return out
}
