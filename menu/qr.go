package menu

import (
	"nvrmenu/internal/payload"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	qrcode "github.com/skip2/go-qrcode"
)

// The QR drawing modes (config console.qr_blocks).
const (
	qrHalf = "half" // one module per column, two per row: ▀ ▄ █
	qrFull = "full" // two columns and one row per module, drawn with spaces
)

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
	mode     string
	tooSmall *message
	drawn    rect // the code's cells at the last frame (w 0: none)
}

func (m *Menu) newQRView(codes []qrCode, tooSmall string) *qrView {
	mode := m.opts.QRBlocks
	if m.glyphOr('▀', 0) == 0 || m.glyphOr('▄', 0) == 0 || m.glyphOr('█', 0) == 0 {
		mode = qrFull // a font without half blocks: whole cells
	}
	q := &qrView{Box: tview.NewBox(), m: m, codes: codes, mode: mode, tooSmall: m.note(roleError, tooSmall)}
	q.SetBackgroundColor(roleText.bg())
	return q
}

// qrScale is how many times each module is magnified to fit n modules in
// w×h cells; 0 means it does not fit.
func qrScale(n, w, h int, mode string) int {
	if n == 0 || w <= 0 || h <= 0 {
		return 0
	}
	if mode == qrFull {
		return min(w/(2*n), h/n)
	}
	return min(w/n, 2*h/n)
}

// qrCells is the size in cells of n modules drawn at scale s.
func qrCells(n, s int, mode string) (w, h int) {
	if mode == qrFull {
		return 2 * n * s, n * s
	}
	return n * s, (n*s + 1) / 2
}

// best is the code to draw in w×h cells and its scale: the largest
// modules (the easiest to scan from afar), then the most robust level;
// ok false when none fits.
func (q *qrView) best(w, h int) (code qrCode, scale int, ok bool) {
	for _, c := range q.codes {
		if s := qrScale(len(c.modules), w, h, q.mode); s > scale {
			code, scale, ok = c, s, true
		}
	}
	return code, scale, ok
}

// Draw draws the code, or the "too small" sentence.
func (q *qrView) Draw(screen tcell.Screen) {
	q.Box.DrawForSubclass(screen, q)
	x, y, w, h := q.GetInnerRect()
	q.drawn = rect{}
	code, s, ok := q.best(w, h)
	if !ok {
		q.tooSmall.align = tview.AlignCenter
		q.tooSmall.SetRect(x, y, w, h)
		q.tooSmall.Draw(screen)
		return
	}
	n := len(code.modules)
	cw, ch := qrCells(n, s, q.mode)
	x0, y0 := x+(w-cw)/2, y+(h-ch)/2
	q.drawn = rect{x0, y0, cw, ch}
	q.m.pointer.avoid = q.drawn
	dark := func(row, col int) bool {
		if row >= n*s {
			return false // the last half row below an odd height: light
		}
		return code.modules[row/s][col/s]
	}
	full, top, bottom := q.m.glyphOr('█', ' '), q.m.glyphOr('▀', ' '), q.m.glyphOr('▄', ' ')
	for cy := range ch {
		for cx := range cw {
			if q.mode == qrFull {
				style := roleQRLight.style()
				if dark(cy, cx/2) {
					style = roleQRDark.style()
				}
				screen.SetContent(x0+cx, y0+cy, ' ', nil, style)
				continue
			}
			// Light modules are the foreground (bright white on the
			// console), dark ones the black background.
			r := ' '
			switch upper, lower := !dark(2*cy, cx), !dark(2*cy+1, cx); {
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
