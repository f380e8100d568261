package cli

import (
	"io"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// drawQR draws text as a QR code for a phone to scan off the screen: with
// half blocks (▀ ▄ █), each character cell two modules high and one wide,
// which makes square modules in the usual 1:2 cell; with full, two
// characters "██" a module, one row of cells a module, for fonts without
// half blocks. The 4-module quiet zone is kept. With colour, each line is
// black on bright white (a dark terminal would otherwise show the code
// inverted, which many scanners refuse); without, the glyphs are the dark
// modules, for a light background.
func drawQR(w io.Writer, text string, full, colour bool) error {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return err
	}
	bm := q.Bitmap()
	var b strings.Builder
	start, end := "", ""
	if colour {
		start, end = "\x1b[30;107m", "\x1b[0m"
	}
	if full {
		for _, row := range bm {
			b.WriteString(start)
			for _, dark := range row {
				if dark {
					b.WriteString("██")
				} else {
					b.WriteString("  ")
				}
			}
			b.WriteString(end + "\n")
		}
	} else {
		for y := 0; y < len(bm); y += 2 {
			b.WriteString(start)
			for x := range bm[y] {
				top, bottom := bm[y][x], y+1 < len(bm) && bm[y+1][x]
				switch {
				case top && bottom:
					b.WriteString("█")
				case top:
					b.WriteString("▀")
				case bottom:
					b.WriteString("▄")
				default:
					b.WriteString(" ")
				}
			}
			b.WriteString(end + "\n")
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}
