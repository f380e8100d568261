package menu

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/internal/palette"
)

// Pictures of the simulated screen, for a person to look at: every cell
// rendered in the colours the screen really shows (the console's palette
// with bold as bright, or xterm's), 8x16 pixels a cell, glyphs from a
// console font when the machine has one (console-setup's Uni2-VGA16,
// else blocks of ink where text is). The block elements and spaces, which
// carry the QR code, are drawn exactly in any case.
//
// Set NVRMENU_SCREENS to a directory to keep the pictures there; otherwise
// they go to the test's temporary directory.

const cellW, cellH = 8, 16

// psfFont is a console font: glyphs of cellW x cellH bits by rune.
type psfFont struct {
	glyphs map[rune][]byte // cellH rows, a byte each (8 pixels wide)
}

var (
	fontOnce sync.Once
	font     *psfFont
)

// consoleFont loads the first 8x16 console font found, or nil.
func consoleFont() *psfFont {
	fontOnce.Do(func() {
		for _, name := range []string{"Uni2-VGA16.psf.gz", "Lat15-VGA16.psf.gz", "default8x16.psf.gz"} {
			for _, dir := range []string{"/usr/share/consolefonts", "/usr/share/kbd/consolefonts"} {
				if f, err := loadPSF(filepath.Join(dir, name)); err == nil {
					font = f
					return
				}
			}
		}
	})
	return font
}

// loadPSF reads a gzipped PSF1 or PSF2 font of 8x16 glyphs with a Unicode
// table.
func loadPSF(path string) (*psfFont, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(z, 1<<20))
	if err != nil {
		return nil, err
	}
	font := &psfFont{glyphs: map[rune][]byte{}}
	switch {
	case len(data) > 4 && data[0] == 0x36 && data[1] == 0x04: // PSF1
		mode, size := data[2], int(data[3])
		n := 256
		if mode&1 != 0 {
			n = 512
		}
		if size != cellH || mode&2 == 0 || len(data) < 4+n*size {
			return nil, errors.New("psf1: not 8x16 with a Unicode table")
		}
		table := data[4+n*size:]
		for g := 0; g < n && len(table) >= 2; g++ {
			glyph := data[4+g*size : 4+(g+1)*size]
			for len(table) >= 2 {
				u := binary.LittleEndian.Uint16(table)
				table = table[2:]
				if u == 0xFFFF {
					break
				}
				if u != 0xFFFE {
					font.glyphs[rune(u)] = glyph
				}
			}
		}
	case len(data) > 32 && binary.LittleEndian.Uint32(data) == 0x864ab572: // PSF2
		hdr := func(i int) int { return int(binary.LittleEndian.Uint32(data[4*i:])) }
		headerSize, flags, n, size, height, width := hdr(2), hdr(3), hdr(4), hdr(5), hdr(6), hdr(7)
		if width != cellW || height != cellH || flags&1 == 0 || len(data) < headerSize+n*size {
			return nil, errors.New("psf2: not 8x16 with a Unicode table")
		}
		table := data[headerSize+n*size:]
		for g := 0; g < n && len(table) > 0; g++ {
			glyph := data[headerSize+g*size : headerSize+(g+1)*size]
			for len(table) > 0 && table[0] != 0xFF {
				if table[0] == 0xFE {
					table = table[1:]
					continue
				}
				r, l := utf8.DecodeRune(table)
				table = table[l:]
				font.glyphs[r] = glyph
			}
			if len(table) > 0 {
				table = table[1:]
			}
		}
	default:
		return nil, errors.New("not a PSF font")
	}
	return font, nil
}

// renderCells draws cells (w×h of them) as the screen would show them.
func renderCells(cells []tcell.SimCell, w, h int, console bool) *image.RGBA {
	pal := &palette.Xterm
	if console {
		pal = &palette.Console
	}
	img := image.NewRGBA(image.Rect(0, 0, w*cellW, h*cellH))
	fnt := consoleFont()
	for cy := range h {
		for cx := range w {
			c := cells[cy*w+cx]
			r := ' '
			if len(c.Runes) > 0 {
				r = c.Runes[0]
			}
			fgc, bgc := shown(c.Style, console, pal)
			fg := color.RGBA{fgc.R, fgc.G, fgc.B, 0xff}
			bg := color.RGBA{bgc.R, bgc.G, bgc.B, 0xff}
			ink := glyphInk(r, fnt)
			for py := range cellH {
				for px := range cellW {
					col := bg
					if ink(px, py) {
						col = fg
					}
					img.SetRGBA(cx*cellW+px, cy*cellH+py, col)
				}
			}
		}
	}
	return img
}

// glyphInk says which pixels of a cell showing r are ink.
func glyphInk(r rune, fnt *psfFont) func(x, y int) bool {
	switch r {
	case ' ', 0:
		return func(int, int) bool { return false }
	case '█':
		return func(int, int) bool { return true }
	case '▀':
		return func(_, y int) bool { return y < cellH/2 }
	case '▄':
		return func(_, y int) bool { return y >= cellH/2 }
	case '░':
		return func(x, y int) bool { return (x+2*y)%4 == 0 }
	}
	if fnt != nil {
		if g, ok := fnt.glyphs[r]; ok {
			return func(x, y int) bool { return g[y]&(0x80>>x) != 0 }
		}
		// The font's own replacement: a filled square, as the console
		// would draw a rune its font lacks.
		return func(x, y int) bool { return x >= 1 && x <= 6 && y >= 4 && y <= 11 }
	}
	return func(x, y int) bool { return x >= 1 && x <= 6 && y >= 4 && y <= 12 && (x+y)%2 == 0 }
}

// screenImage renders the harness's screen as it stands.
func (h *harness) screenImage() *image.RGBA {
	return onUI(h, func() *image.RGBA {
		cells, w, hh := h.sim.GetContents()
		return renderCells(cells, w, hh, h.m.opts.Display.Console)
	})
}

// snapshot saves the screen as name.png (and its text as name.txt) for a
// person to look at, and logs where.
func (h *harness) snapshot(name string) string {
	h.t.Helper()
	dir := os.Getenv("NVRMENU_SCREENS")
	if dir == "" {
		dir = h.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		h.t.Fatal(err)
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := png.Encode(w, h.screenImage()); err != nil {
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
