package pixels

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"

	"nvrmenu/internal/palette"
	"nvrmenu/internal/vtcon"
	"nvrmenu/internal/vtcon/psf"
)

// The modes the bench's HDMI runs use, and the font the daemon picks for
// each; 1024x768 for the 8x16 font.
var modes = []struct {
	w, h       int
	size       vtcon.FontSize
	cols, rows int
}{
	{1024, 768, vtcon.FontSize{Width: 8, Height: 16}, 128, 48},
	{1280, 720, vtcon.FontSize{Width: 12, Height: 24}, 106, 30},
	{1920, 1080, vtcon.FontSize{Width: 16, Height: 32}, 120, 33},
}

func rgba(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

func pal(i int) color.RGBA {
	c := palette.Console[i]
	return color.RGBA{c.R, c.G, c.B, 0xff}
}

// fb is a framebuffer that fbcon would draw: cells of a font from the top
// left, the margin black.
type fb struct {
	img  *image.RGBA
	font *psf.Font
}

func newFB(w, h int, font *psf.Font) *fb {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 0xff
	}
	return &fb{img, font}
}

// glyph draws glyph g at cell x, y in fg on bg, the cursor's rows
// inverted when cursor is set, as fbcon's soft cursor does.
func (f *fb) glyph(x, y, g int, fg, bg color.RGBA, cursor bool) {
	for py := 0; py < f.font.Height; py++ {
		inv := cursor && py >= f.font.Height-2
		for px := 0; px < f.font.Width; px++ {
			c := bg
			if f.font.Pixel(g, px, py) != inv {
				c = fg
			}
			f.img.SetRGBA(x*f.font.Width+px, y*f.font.Height+py, c)
		}
	}
}

func (f *fb) put(t testing.TB, x, y int, r rune, fg, bg color.RGBA) {
	t.Helper()
	g, ok := f.font.Index(r)
	if !ok {
		t.Fatalf("the font has no %q", r)
	}
	f.glyph(x, y, g, fg, bg, false)
}

// text draws s from cell x, y on, one rune a cell.
func (f *fb) text(t testing.TB, x, y int, s string, fg, bg color.RGBA) {
	t.Helper()
	for i, r := range []rune(s) {
		f.put(t, x+i, y, r, fg, bg)
	}
}

// fill paints cells x0..x1-1, y0..y1-1 with spaces on bg.
func (f *fb) fill(t testing.TB, x0, y0, x1, y1 int, bg color.RGBA) {
	t.Helper()
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			f.put(t, x, y, ' ', bg, bg)
		}
	}
}

// menuScreen draws a screen like the menu's: a double frame on navy, a
// title, lines of text with the catalogue's accented letters, ellipsis and
// typographic marks, and a dialog in black on silver.
func menuScreen(t testing.TB, f *fb, cols, rows int) []string {
	white, navy, yellow, black, silver := pal(15), pal(4), pal(11), pal(0), pal(7)
	f.fill(t, 0, 0, cols, rows, navy)
	f.put(t, 0, 0, '╔', white, navy)
	f.put(t, cols-1, 0, '╗', white, navy)
	f.put(t, 0, rows-1, '╚', white, navy)
	f.put(t, cols-1, rows-1, '╝', white, navy)
	for x := 1; x < cols-1; x++ {
		f.put(t, x, 0, '═', white, navy)
		f.put(t, x, rows-1, '═', white, navy)
	}
	for y := 1; y < rows-1; y++ {
		f.put(t, 0, y, '║', white, navy)
		f.put(t, cols-1, y, '║', white, navy)
	}
	lines := []string{
		" Password Dimenticata ",
		"Verifica in corso…",
		"È già attivo: àèéìòù ÀÈÌÒÙ «ok» – “sì” l’altro",
		"╭─ Metodi ─╮ ░▒▓ ← ↑ → ↓ •",
	}
	f.text(t, 3, 0, lines[0], yellow, navy)
	f.text(t, 2, 2, lines[1], white, navy)
	f.text(t, 2, 3, lines[2], yellow, navy)
	f.text(t, 2, 4, lines[3], pal(14), navy)
	f.fill(t, 4, 6, 40, 9, silver)
	f.text(t, 6, 7, "Password ripristinata.", black, silver)
	return lines
}

func TestReadMenuScreen(t *testing.T) {
	for _, m := range modes {
		t.Run(m.size.String(), func(t *testing.T) {
			font := vtcon.Font(m.size)
			f := newFB(m.w, m.h, font)
			lines := menuScreen(t, f, m.cols, m.rows)
			r := NewReader(font)
			s := r.Read(f.img)
			if s.Cols != m.cols || s.Rows != m.rows || s.CellWidth != m.size.Width || s.CellHeight != m.size.Height {
				t.Fatalf("grid %dx%d of %dx%d cells, want %dx%d of %v", s.Cols, s.Rows, s.CellWidth, s.CellHeight, m.cols, m.rows, m.size)
			}
			if p := s.Check(Rules{MinContrast: 4.5, Forbidden: DefaultForbidden}); len(p) > 0 {
				t.Errorf("problems on a clean screen: %v", p)
			}
			for _, l := range lines {
				if !s.Has(l) {
					t.Errorf("text %q not read; screen:\n%s", l, s)
				}
			}
			if got, want := string([]rune(s.Line(3))[2:2+len([]rune(lines[2]))]), r.Normalise(lines[2]); got != want {
				t.Errorf("line 3 = %q, want %q", got, want)
			}
			// Glyphs that look alike read as one rune, and Normalise
			// says which.
			if got := r.Normalise("╭–╮"); got != "┌-┐" {
				t.Errorf(`Normalise("╭–╮") = %q, want "┌-┐" (our font draws them alike)`, got)
			}
			if x, y, ok := s.Find("Verifica in corso…"); !ok || x != 2 || y != 2 {
				t.Errorf("Find = %d, %d, %v; want 2, 2, true", x, y, ok)
			}
			c := s.Cell(2, 3)
			if c.Rune != 'È' || c.FG != pal(11) || c.BG != pal(4) || c.Ink == 0 {
				t.Errorf("cell 2,3 = %+v, want È in bright yellow on navy", c)
			}
			if c := s.Cell(6, 7); c.Rune != 'P' || c.FG != pal(0) || c.BG != pal(7) {
				t.Errorf("cell 6,7 = %+v, want P in black on silver", c)
			}
			if c := s.Cell(10, 10); c.Rune != ' ' || c.BG != pal(4) || c.FG != c.BG || c.Ink != 0 {
				t.Errorf("cell 10,10 = %+v, want a space on navy", c)
			}
			if _, _, ok := s.Cursor(); ok {
				t.Error("a cursor found on a screen without one")
			}
		})
	}
}

func TestCursor(t *testing.T) {
	for _, m := range modes {
		t.Run(m.size.String(), func(t *testing.T) {
			font := vtcon.Font(m.size)
			f := newFB(m.w, m.h, font)
			f.fill(t, 0, 0, m.cols, m.rows, pal(6))
			// Every glyph under the cursor reads as itself (a password
			// field's asterisks, its last letter, the space after it).
			r := NewReader(font)
			for _, c := range "*aÈ_ gy" {
				g, _ := font.Index(c)
				f.glyph(5, 5, g, pal(15), pal(6), true)
				s := r.Read(f.img)
				x, y, ok := s.Cursor()
				if !ok || x != 5 || y != 5 {
					t.Errorf("cursor on %q: found at %d, %d, %v; want 5, 5", c, x, y, ok)
				}
				if got := s.Cell(5, 5); got.Rune != c || got.BG != pal(6) {
					t.Errorf("cursor on %q: cell reads %+v", c, got)
				}
			}
		})
	}
}

func TestHalfBlocksBothWays(t *testing.T) {
	font := vtcon.Font(vtcon.FontSize{Width: 16, Height: 32})
	f := newFB(320, 64, font)
	black, white := pal(0), pal(15)
	// Row 0 on black: ▀ in white. Row 1 on white: ▀ in black, which is
	// also ▄ in white on black: the neighbours say which.
	f.fill(t, 0, 0, 20, 1, black)
	f.fill(t, 0, 1, 20, 2, white)
	f.put(t, 5, 0, '▀', white, black)
	f.put(t, 5, 1, '▀', black, white)
	s := NewReader(font).Read(f.img)
	if c := s.Cell(5, 0); c.Rune != '▀' || c.FG != white || c.BG != black {
		t.Errorf("row 0: %+v, want ▀ white on black", c)
	}
	if c := s.Cell(5, 1); c.Rune != '▀' || c.FG != black || c.BG != white {
		t.Errorf("row 1: %+v, want ▀ black on white", c)
	}
}

func TestCheck(t *testing.T) {
	size := vtcon.FontSize{Width: 12, Height: 24}
	font := vtcon.Font(size)
	f := newFB(1280, 720, font)
	navy := pal(4)
	f.fill(t, 0, 0, 106, 30, navy)
	f.text(t, 1, 1, "ok", pal(15), navy)
	f.put(t, 1, 2, '\uFFFD', pal(15), navy) // what the kernel draws for a rune the font lacks
	f.put(t, 1, 3, '■', pal(15), navy)
	// Colours of their own, whatever the palette becomes.
	grey, silver, teal := rgba(0x94, 0x94, 0x94), rgba(0xC0, 0xC0, 0xC0), rgba(0x00, 0x6A, 0x6A)
	f.text(t, 1, 4, "grey", grey, silver) // 1.9:1
	f.text(t, 1, 5, "hidden", silver, silver)
	f.text(t, 10, 1, "═══", silver, teal) // 3.53:1: enough for a frame, not for text
	f.text(t, 10, 2, "═", grey, teal)     // 2.2:1
	// A cell of three colours, and one of two in a pattern no glyph has.
	f.img.SetRGBA(12*2+3, 24*6+3, pal(1))
	f.img.SetRGBA(12*2+4, 24*6+4, pal(2))
	for i := 0; i < 24; i += 3 {
		f.img.SetRGBA(12*3+i%12, 24*6+i, pal(15))
	}
	s := NewReader(font).Read(f.img)

	got := s.Check(Rules{MinContrast: 4.5, MinContrastFrames: 3, Forbidden: DefaultForbidden})
	navyHex := hex(navy)
	want := []string{
		"cell 1,2 '\uFFFD' (ink #FFFFFF on " + navyHex + "): shows U+FFFD",
		"cell 10,2 '═' (ink #949494 on #006A6A): contrast 2.",
		"cell 1,3 '■' (ink #FFFFFF on " + navyHex + "): shows U+25A0",
		"cell 1,4 'g' (ink #949494 on #C0C0C0): contrast 1.",
		"cell 2,4 'r'", "cell 3,4 'e'", "cell 4,4 'y'",
		"cell 2,6 '⍰'", "cell 3,6 '⍰'",
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s\nwant %d of them", join(got), len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i].String(), w) {
			t.Errorf("problem %d = %q, want it to start with %q", i, got[i], w)
		}
	}
	// ■ in a text the screen should show is no problem.
	for _, p := range s.Check(Rules{Forbidden: DefaultForbidden, Allowed: "Stato ■"}) {
		if p.Cell.Rune == '■' {
			t.Errorf("■ reported though the expected text has it: %v", p)
		}
	}
	// Text in its background's colour is no text at all: the screen
	// does not have it, whatever the contrast rule says.
	if s.Has("hidden") {
		t.Error("text drawn in its background's colour was read")
	}
	if !s.Has("ok") || !s.Has("grey") {
		t.Errorf("visible texts not read:\n%s", s)
	}
}

func join(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintln(&b, p)
	}
	return b.String()
}

func TestHasWrappedAndBelow(t *testing.T) {
	font := vtcon.Font(vtcon.FontSize{Width: 8, Height: 16})
	f := newFB(8*30, 16*6, font)
	navy, white := pal(4), pal(15)
	f.fill(t, 0, 0, 30, 6, navy)
	f.text(t, 0, 0, "║ one two ║", white, navy)
	f.text(t, 0, 1, "║         ║", white, navy)
	f.text(t, 0, 2, "║ three   ║", white, navy)
	f.text(t, 0, 3, "  > GUID", white, navy)
	f.text(t, 0, 4, "    Pronto", pal(11), navy)
	f.text(t, 12, 3, "Ok", navy, pal(7))
	f.text(t, 11, 3, " ", navy, pal(7))
	f.text(t, 14, 3, " ", navy, pal(7))
	f.text(t, 0, 5, "Ok: press Ok", white, navy)
	f.fill(t, 20, 0, 30, 6, pal(0)) // a black bar: more cells than navy ones
	s := NewReader(font).Read(f.img)
	if x, y, ok := s.FindButton("Ok"); !ok || x != 12 || y != 3 {
		t.Errorf("FindButton = %d, %d, %v; want the button at 12, 3, not the text", x, y, ok)
	}
	if all := s.FindAll("Ok"); len(all) != 3 {
		t.Errorf("FindAll = %v, want 3 places", all)
	}
	if !s.Has("two three") || s.Has("three two") || s.Has("one three") {
		t.Errorf("Has: wrapped words not matched one after the other:\n%s", s)
	}
	if got := s.Below("> GUID"); got != "Pronto" {
		t.Errorf("Below = %q, want Pronto", got)
	}
}

// qrCells draws a QR code's modules (quiet zone included) with half
// blocks, one module a column and two a row, dark on light.
func qrCells(t testing.TB, f *fb, x0, y0 int, modules [][]bool) {
	dark, light := pal(0), pal(15)
	col := func(on bool) color.RGBA {
		if on {
			return dark
		}
		return light
	}
	for y := 0; y < len(modules); y += 2 {
		for x := range modules[y] {
			top, bottom := modules[y][x], false
			if y+1 < len(modules) {
				bottom = modules[y+1][x]
			}
			if top == bottom {
				f.put(t, x0+x, y0+y/2, ' ', col(top), col(top))
			} else {
				f.put(t, x0+x, y0+y/2, '▀', col(top), col(bottom))
			}
		}
	}
}

func TestQR(t *testing.T) {
	const payload = "NVRR1:THE-BENCH-READS-IT-FROM-PIXELS-0123456789"
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range modes {
		t.Run(m.size.String(), func(t *testing.T) {
			font := vtcon.Font(m.size)
			f := newFB(m.w, m.h, font)
			menuScreen(t, f, m.cols, m.rows)
			qrCells(t, f, 50, 3, q.Bitmap())
			s := NewReader(font).Read(f.img)
			got, err := s.QR()
			if err != nil || got != payload {
				t.Fatalf("QR() = %q, %v; want %q", got, err, payload)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		font := vtcon.Font(vtcon.FontSize{Width: 8, Height: 16})
		f := newFB(640, 400, font)
		menuScreen(t, f, 80, 25)
		if got, err := NewReader(font).Read(f.img).QR(); err == nil {
			t.Errorf("QR() on a screen without one = %q", got)
		}
	})
}

func TestParsePPM(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("P6\n# QEMU\n3 2\n255\n")
	for i := 0; i < 6; i++ {
		b.Write([]byte{byte(i), byte(10 * i), 0xff})
	}
	img, err := ParsePPM(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 3 || img.Bounds().Dy() != 2 || img.RGBAAt(2, 1) != (color.RGBA{5, 50, 0xff, 0xff}) {
		t.Errorf("ParsePPM: %v, pixel 2,1 = %v", img.Bounds(), img.RGBAAt(2, 1))
	}
	for _, bad := range []string{"", "P3\n1 1\n255\n\x00\x00\x00", "P6\n2 2\n255\n\x00\x00\x00", "P6\n1 1\n65535\n\x00\x00\x00\x00\x00\x00"} {
		if _, err := ParsePPM([]byte(bad)); !errors.Is(err, ErrNotPPM) {
			t.Errorf("ParsePPM(%q) = %v, want ErrNotPPM", bad, err)
		}
	}
}

// BenchmarkRead reads a 1920x1080 menu screen in the 16x32 font: the
// bench's cost of reading a screendump's text and colours.
func BenchmarkRead(b *testing.B) {
	font := vtcon.Font(vtcon.FontSize{Width: 16, Height: 32})
	f := newFB(1920, 1080, font)
	menuScreen(b, f, 120, 33)
	r := NewReader(font)
	b.ResetTimer()
	for range b.N {
		r.Read(f.img)
	}
}

// BenchmarkParsePPM decodes a 1920x1080 screendump.
func BenchmarkParsePPM(b *testing.B) {
	data := append([]byte("P6\n1920 1080\n255\n"), make([]byte, 1920*1080*3)...)
	b.ResetTimer()
	for range b.N {
		if _, err := ParsePPM(data); err != nil {
			b.Fatal(err)
		}
	}
}
