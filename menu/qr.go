package menu

import (
	"nvrmenu/internal/octant"
	"nvrmenu/internal/payload"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	qrcode "github.com/skip2/go-qrcode"
)

// The QR drawing modes (config console.qr_blocks).
const (
	// qrHalf: block glyphs, as fine as the font on screen has them: the
	// octants of our console font (two columns by four rows of square
	// dots a cell, internal/octant), else half blocks (one module a
	// column, two a row: ▀ ▄ █). At an even scale the octants draw what
	// half blocks would, so they only add the sizes in between.
	qrHalf = "half"
	// qrFull: two columns and one row per module, drawn with spaces, for
	// fonts without block glyphs.
	qrFull = "full"
)

// qrDots is how a QR view draws: dots per cell across and down, and
// whether it draws them with octant glyphs, half blocks or whole cells.
type qrDots struct {
	across, down int
	octants      bool
}

var (
	dotsOctant = qrDots{2, 4, true}
	dotsHalf   = qrDots{1, 2, false}
	dotsFull   = qrDots{1, 1, false} // a dot is a cell; a module two dots wide
)

// unit is a module's width at scale s, in eighths of a cell's height: the
// sizes the modes reach, compared.
func (d qrDots) unit(s int) int {
	if d == dotsFull {
		return 8 * s // two cells wide: a cell's height
	}
	return 4 * s / d.across
}

// qrCode is a challenge's QR code at one error-correction level: its
// modules with their quiet zone, row by row, true for dark.
type qrCode struct {
	level   qrcode.RecoveryLevel
	modules [][]bool
}

// qrLevels are the error-correction levels the screen may use, the most
// robust first. The exported PNG keeps the core's level (M).
var qrLevels = []qrcode.RecoveryLevel{qrcode.Highest, qrcode.High, qrcode.Medium, qrcode.Low}

// qrCodes encodes a challenge's payload at every level, off the UI
// goroutine: the screen then shows the most robust one that fits, so that
// the largest payload (a 254-character reserved address) still shows on a
// smaller screen, at level L. The core checks the payload first.
func qrCodes(text string) ([]qrCode, error) {
	if _, err := payload.QRBitmap(text); err != nil {
		return nil, err
	}
	codes := make([]qrCode, 0, len(qrLevels))
	for _, l := range qrLevels {
		q, err := qrcode.New(text, l)
		if err != nil {
			continue // too long for this level
		}
		codes = append(codes, qrCode{l, q.Bitmap()})
	}
	return codes, nil
}

// qrView draws a QR code as large as fits in its rectangle, centred, at the
// most robust level that fits at that size; when none fits at all it says
// so instead, in tooSmall's words. The pointer is never drawn over it.
type qrView struct {
	*tview.Box
	m        *Menu
	codes    []qrCode
	dots     qrDots
	tooSmall *message
	drawn    rect // the code's cells at the last frame (w 0: none)
}

func (m *Menu) newQRView(codes []qrCode, tooSmall string) *qrView {
	q := &qrView{Box: tview.NewBox(), m: m, codes: codes, dots: m.qrDots(), tooSmall: m.note(roleError, tooSmall)}
	q.SetBackgroundColor(roleText.bg())
	return q
}

// qrDots is how this screen draws QR codes: octants where the font on
// screen has them (our console font; a terminal emulator's fonts do not
// have them at these code points), else half blocks, else whole cells.
func (m *Menu) qrDots() qrDots {
	has := m.opts.Display.HasGlyph
	if m.opts.QRBlocks == qrFull {
		return dotsFull
	}
	if has != nil {
		all := true
		for p := 0; p < 256; p++ {
			if !has(octant.Rune(uint8(p))) {
				all = false
				break
			}
		}
		if all {
			return dotsOctant
		}
	}
	if m.glyphOr('▀', 0) == 0 || m.glyphOr('▄', 0) == 0 || m.glyphOr('█', 0) == 0 {
		return dotsFull // a font without half blocks: whole cells
	}
	return dotsHalf
}

// qrScale is how many dots of d each module takes to fit n modules in
// w×h cells; 0 means it does not fit.
func qrScale(n, w, h int, d qrDots) int {
	if n == 0 || w <= 0 || h <= 0 {
		return 0
	}
	if d == dotsFull {
		return min(w/(2*n), h/n)
	}
	return min(d.across*w/n, d.down*h/n)
}

// qrCells is the size in cells of n modules drawn at scale s.
func qrCells(n, s int, d qrDots) (w, h int) {
	if d == dotsFull {
		return 2 * n * s, n * s
	}
	return (n*s + d.across - 1) / d.across, (n*s + d.down - 1) / d.down
}

// best is the code to draw in w×h cells and its scale: the largest
// modules (the easiest to scan from afar), then the most robust level;
// ok false when none fits.
func (q *qrView) best(w, h int) (code qrCode, scale int, ok bool) {
	for _, c := range q.codes {
		if s := qrScale(len(c.modules), w, h, q.dots); s > scale {
			code, scale, ok = c, s, true
		}
	}
	return code, scale, ok
}

// cells is the size in cells of the code best draws in w×h cells.
func (q *qrView) cells(w, h int) (cw, ch int) {
	code, s, ok := q.best(w, h)
	if !ok {
		return 0, 0
	}
	return qrCells(len(code.modules), s, q.dots)
}

// unit is the module size best gives in w×h cells, in eighths of a
// cell's height; 0 when none fits.
func (q *qrView) unit(w, h int) int {
	_, s, ok := q.best(w, h)
	if !ok {
		return 0
	}
	return q.dots.unit(s)
}

// Draw draws the code, or the "too small" sentence.
func (q *qrView) Draw(screen tcell.Screen) {
	q.Box.DrawForSubclass(screen, q)
	x, y, w, h := q.GetInnerRect()
	q.drawn = rect{}
	code, s, ok := q.best(w, h)
	if !ok {
		q.tooSmall.align = tview.AlignCenter
		mh := min(h, q.tooSmall.height(w))
		q.tooSmall.SetRect(x, y+(h-mh)/2, w, mh)
		q.tooSmall.Draw(screen)
		return
	}
	n := len(code.modules)
	cw, ch := qrCells(n, s, q.dots)
	x0, y0 := x+(w-cw)/2, y+(h-ch)/2
	q.drawn = rect{x0, y0, cw, ch}
	q.m.pointer.avoid = q.drawn
	// light reports a light module at dot dx, dy; the dots past the last
	// module (the code does not fill its last cells) are light too: more
	// quiet zone.
	light := func(dx, dy int) bool {
		if dx >= n*s || dy >= n*s {
			return true
		}
		return !code.modules[dy/s][dx/s]
	}
	full, top, bottom := q.m.glyphOr('█', ' '), q.m.glyphOr('▀', ' '), q.m.glyphOr('▄', ' ')
	for cy := range ch {
		for cx := range cw {
			switch q.dots {
			case dotsFull:
				style := roleQRLight.style()
				if !light(cx/2, cy) {
					style = roleQRDark.style()
				}
				screen.SetContent(x0+cx, y0+cy, ' ', nil, style)
			case dotsOctant:
				// Light dots are the foreground (bright white on the
				// console), dark ones the black background.
				var p uint8
				for row := range octant.Rows {
					for col := range octant.Columns {
						if light(2*cx+col, 4*cy+row) {
							p |= octant.Bit(col, row)
						}
					}
				}
				screen.SetContent(x0+cx, y0+cy, octant.Rune(p), nil, roleQR.style())
			default:
				r := ' '
				switch upper, lower := light(cx, 2*cy), light(cx, 2*cy+1); {
				case upper && lower:
					r = full
				case upper:
					r = top
				case lower:
					r = bottom
				}
				screen.SetContent(x0+cx, y0+cy, r, nil, roleQR.style())
			}
		}
	}
}
