package menu

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// The QR drawing modes (config console.qr_blocks).
const (
	qrHalf = "half" // one module per column, two per row: ▀ ▄ █
	qrFull = "full" // two columns and one row per module, drawn with spaces
)

// qrView draws a QR code (modules with their quiet zone, true = dark) as
// large as fits in its rectangle, centred; when it does not fit at all it
// says so instead, in tooSmall's words.
type qrView struct {
	*tview.Box
	modules  [][]bool
	mode     string
	tooSmall string
}

func newQRView(modules [][]bool, mode, tooSmall string) *qrView {
	return &qrView{Box: tview.NewBox(), modules: modules, mode: mode, tooSmall: tooSmall}
}

var (
	qrDark  = tcell.StyleDefault.Foreground(tcell.ColorBlack).Background(tcell.ColorWhite)
	qrBlack = tcell.StyleDefault.Foreground(tcell.ColorWhite).Background(tcell.ColorBlack)
	qrWhite = tcell.StyleDefault.Foreground(tcell.ColorBlack).Background(tcell.ColorWhite)
)

// qrScale is how many times each module is magnified to fit n modules in
// w×h cells; 0 means it does not fit.
func qrScale(n, w, h int, mode string) int {
	if n == 0 {
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

// Fits reports whether the code fits in w×h cells.
func (q *qrView) Fits(w, h int) bool { return qrScale(len(q.modules), w, h, q.mode) > 0 }

// Draw draws the code, or the "too small" sentence.
func (q *qrView) Draw(screen tcell.Screen) {
	q.Box.DrawForSubclass(screen, q)
	x, y, w, h := q.GetInnerRect()
	n := len(q.modules)
	s := qrScale(n, w, h, q.mode)
	if s == 0 {
		lines := tview.WordWrap(q.tooSmall, w)
		for i, line := range lines {
			if i >= h {
				break
			}
			tview.Print(screen, tview.Escape(line), x, y+i, w, tview.AlignCenter, colourError)
		}
		return
	}
	cw, ch := qrCells(n, s, q.mode)
	x0, y0 := x+(w-cw)/2, y+(h-ch)/2
	dark := func(row, col int) bool {
		if row >= n*s {
			return false // the last half row below an odd height
		}
		return q.modules[row/s][col/s]
	}
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			if q.mode == qrFull {
				style := qrWhite
				if dark(cy, cx/2) {
					style = qrBlack
				}
				screen.SetContent(x0+cx, y0+cy, ' ', nil, style)
				continue
			}
			top, bottom := dark(2*cy, cx), dark(2*cy+1, cx)
			r := ' '
			switch {
			case top && bottom:
				r = '█'
			case top:
				r = '▀'
			case bottom:
				r = '▄'
			}
			screen.SetContent(x0+cx, y0+cy, r, nil, qrDark)
		}
	}
}
