package menu

import (
	"bufio"
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/internal/palette"
	"nvrmenu/internal/vtcon"
	"nvrmenu/internal/vtcon/psf"
)

// Pictures of the simulated screen, for a person to look at and for the QR
// code's scan: every cell rendered in the colours the screen really shows
// (the console's palette with bold as bright, or xterm's), with the glyphs
// of the console font the daemon loads (NVR Console), at the size the
// daemon picks for the monitor (8x16 unless a test says otherwise). A rune
// the font lacks is drawn as its replacement glyph, as the console would.
//
// Set NVRMENU_SCREENS to a directory to keep the pictures there; otherwise
// they go to the test's temporary directory.

// cellW and cellH are the default picture's cell, the 8x16 font's.
const cellW, cellH = 8, 16

// renderCells draws cells (w×h of them) as the screen would show them with
// font.
func renderCells(cells []tcell.SimCell, w, h int, console bool, font *psf.Font) *image.RGBA {
	pal := &palette.Xterm
	if console {
		pal = &palette.Console
	}
	fw, fh := font.Width, font.Height
	img := image.NewRGBA(image.Rect(0, 0, w*fw, h*fh))
	glyphs := font.Map()
	missing := glyphs['\uFFFD']
	for cy := range h {
		for cx := range w {
			c := cells[cy*w+cx]
			r := ' '
			if len(c.Runes) > 0 {
				r = c.Runes[0]
			}
			g, ok := glyphs[r]
			if !ok {
				g = missing
			}
			fgc, bgc := shown(c.Style, console, pal)
			fg := color.RGBA{fgc.R, fgc.G, fgc.B, 0xff}
			bg := color.RGBA{bgc.R, bgc.G, bgc.B, 0xff}
			for py := range fh {
				for px := range fw {
					col := bg
					if font.Pixel(g, px, py) {
						col = fg
					}
					img.SetRGBA(cx*fw+px, cy*fh+py, col)
				}
			}
		}
	}
	return img
}

// screenImage renders the harness's screen as it stands, in the 8x16 font.
func (h *harness) screenImage() *image.RGBA {
	return h.screenImageIn(vtcon.FontSize{Width: cellW, Height: cellH})
}

// screenImageIn renders the screen in our font of size size.
func (h *harness) screenImageIn(size vtcon.FontSize) *image.RGBA {
	return onUI(h, func() *image.RGBA {
		cells, w, hh := h.sim.GetContents()
		return renderCells(cells, w, hh, h.m.opts.Display.Console, vtcon.Font(size))
	})
}

// snapshot saves the screen as name.png (and its text as name.txt) for a
// person to look at, and logs where.
func (h *harness) snapshot(name string) string {
	h.t.Helper()
	return h.snapshotIn(name, vtcon.FontSize{Width: cellW, Height: cellH})
}

// snapshotIn saves the screen in our font of size size.
func (h *harness) snapshotIn(name string, size vtcon.FontSize) string {
	h.t.Helper()
	dir := os.Getenv("NVRMENU_SCREENS")
	if dir == "" {
		dir = h.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		h.t.Fatal(err)
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := png.Encode(w, h.screenImageIn(size)); err != nil {
		h.t.Fatal(err)
	}
	w.Flush()
	name = strings.NewReplacer("/", "-", " ", "_").Replace(name)
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".txt"), []byte(h.screen()), 0o644); err != nil {
		h.t.Fatal(err)
	}
	h.t.Logf("screen saved: %s", path)
	return path
}
