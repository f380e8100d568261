// Command genfont builds the daemon's console font, "NVR Console", in the
// sizes the console package ships (8x16, 12x24, 16x32), from Debian's
// console fonts (console-setup-linux: /usr/share/consolefonts), and the
// kernel's default CP437 Unicode map the console package restores after a
// killed daemon left its font on screen.
//
//	go generate ./internal/vtcon/     # runs: go run ./internal/genfont -out fonts
//
// Every glyph is taken from the first source font that has it, in the
// order given below: Uni2-Terminus first, then the other Terminus variants
// for what it lacks (FullGreek has the double lines, arrows and blocks).
// Debian's fonts also map a code point they have no glyph for to a
// look-alike (═ to ─'s glyph); such a glyph is not taken. A glyph that no
// source draws is drawn here: the heavy lines (the light ones made
// thicker), the rounded corners (the square ones), the shades if a source
// lacks them, the replacement glyph (a reversed question mark), the full,
// half and quarter blocks, exactly, and the 256 octant patterns the QR code
// is drawn with (internal/octant: two columns by four rows of square dots,
// at U+E000 to U+E0FF; the six that ▀ ▄ ▌ ▐ █ and the space draw share
// their glyphs, and the quadrants ▖ … ▟ are mapped to theirs). An
// optional glyph (Latin-1, then a few symbols, Latin Extended-A) is kept
// only when every size has it, best first while the console's 512 glyphs
// last: the octants took the room of Latin Extended-A, which the
// substitutes stand in for.
// The derived font is renamed as the SIL OFL asks of a Terminus derivative
// ("Terminus Font" is a Reserved Font Name); fonts/OFL.txt is its licence.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"nvrmenu/internal/octant"
	"nvrmenu/internal/vtcon/psf"
)

// size is one font size and its sources, best first.
type size struct {
	w, h    int
	sources []string
}

var sizes = []size{
	{8, 16, []string{"Uni2-Terminus16", "FullGreek-Terminus16", "Lat15-Terminus16", "Uni3-Terminus16", "Vietnamese-Terminus16"}},
	{12, 24, []string{"Uni2-Terminus24x12", "FullGreek-Terminus24x12", "Lat15-Terminus24x12", "Uni3-Terminus24x12", "Vietnamese-Terminus24x12"}},
	{16, 32, []string{"Uni2-Terminus32x16", "FullGreek-Terminus32x16", "Lat15-Terminus32x16", "Uni3-Terminus32x16", "Vietnamese-Terminus32x16"}},
}

// glyphSet is what the font holds, in glyph order: what the console package
// requires (vtcon.RequiredRunes: text, frames, blocks, and the 256 octant
// patterns of the QR code at U+E000, internal/octant), which every size must
// have, and optional glyphs, there because stick labels, file names and
// e-mail addresses may show them, best first: kept when every size has them
// and while the console's 512 glyphs last.
func glyphSet() (required, optional []rune) {
	var set []rune
	add := func(s string) {
		for _, r := range s {
			if !slices.Contains(set, r) {
				set = append(set, r)
			}
		}
	}
	addRange := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if unicode.IsPrint(r) && !slices.Contains(set, r) {
				set = append(set, r)
			}
		}
	}
	addRange(0x20, 0x7e)
	add("─│┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫━┃╭╮╰╯")
	add("▀▄█░▒▓▌▐■")
	add("àèéìòùÀÈÉÌÒÙáíóúÁÍÓÚçÇ«»°")
	add("…←↑→↓▲▼◀▶•·’‘“”–—€\uFFFD×±")
	for p := 0; p < 256; p++ {
		if r := octant.Rune(uint8(p)); !isAlias(r) {
			set = append(set, r)
		}
	}
	required = set
	set = nil
	add("●")
	// Latin-1's letters, then its signs, then the rest.
	for r := rune(0xc0); r <= 0xff; r++ {
		if unicode.IsLetter(r) {
			add(string(r))
		}
	}
	addRange(0xa1, 0xff)
	add("‚„†‡‰‹›™√∞≈≠≤≥ƒ")
	add("ȘșȚț")
	addRange(0x100, 0x17f)
	add("ˆˇ˘˙˛˜˝")
	for _, r := range set {
		if !slices.Contains(required, r) && !isAlias(r) {
			optional = append(optional, r)
		}
	}
	return required, optional
}

func isAlias(r rune) bool {
	for _, rs := range alias {
		if slices.Contains(rs, r) {
			return true
		}
	}
	return false
}

// alias lists code points drawn with another's glyph (the kernel maps
// both to one glyph): look-alikes, and the octant patterns that Unicode's
// older block elements draw, exactly (draw makes those exact), with the
// quadrants on the octants' glyphs.
var alias = func() map[rune][]rune {
	a := map[rune][]rune{
		'▶': {'►'}, '◀': {'◄'}, '·': {'∙'}, '-': {'−'}, ' ': {0xa0},
	}
	for p, r := range octant.Equivalents {
		switch r {
		case ' ', '█', '▀', '▄', '▌', '▐':
			a[r] = append(a[r], octant.Rune(p)) // the block element's glyph
		default:
			o := octant.Rune(p)
			a[o] = append(a[o], r) // a quadrant, on the octant's glyph
		}
	}
	for r := range a {
		slices.Sort(a[r])
	}
	return a
}()

func main() {
	out := flag.String("out", "fonts", "output `directory`")
	src := flag.String("src", "/usr/share/consolefonts", "Debian's console fonts (package console-setup-linux)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("genfont: ")
	required, optional := glyphSet()
	set := required
	for _, r := range optional {
		everywhere := true
		for _, sz := range sizes {
			if !sz.has(r, *src) {
				everywhere = false
			}
		}
		if everywhere {
			set = append(set, r)
		}
	}
	if len(required) > 512 {
		log.Fatalf("%d required glyphs: the console takes at most 512", len(required))
	}
	var dropped []rune
	if len(set) > 512 {
		set, dropped = set[:512], set[512:]
	}
	for _, sz := range sizes {
		f, report := build(sz, set, *src, true)
		name := fmt.Sprintf("nvrconsole-%dx%d.psf.gz", sz.w, sz.h)
		if err := writeGzip(filepath.Join(*out, name), f.PSF2()); err != nil {
			log.Fatal(err)
		}
		log.Printf("%s: %d glyphs; %s", name, f.Len(), report)
	}
	if len(dropped) > 0 {
		log.Printf("optional glyphs left out for want of room (the console takes 512): %s", string(dropped))
	}
	if err := writeCP437(filepath.Join(*out, "..", "cp437_gen.go")); err != nil {
		log.Fatal(err)
	}
	if err := writeLetters(filepath.Join(*out, "..", "letters_gen.go"), func(r rune) bool { return slices.Contains(set, r) }); err != nil {
		log.Fatal(err)
	}
}

// has reports whether a source of sz has r, or the generator draws it.
func (sz size) has(r rune, dir string) bool {
	f, _ := build(sz, []rune{r}, dir, false)
	return f != nil
}

// build makes the font of one size.
func build(sz size, set []rune, dir string, must bool) (*psf.Font, string) {
	sources := sz.load(dir)
	n := 512
	if len(set) <= 256 {
		n = 256
	}
	f := &psf.Font{Width: sz.w, Height: sz.h, Glyphs: make([][]byte, n), Unicode: make([][]rune, n)}
	for i := range f.Glyphs {
		f.Glyphs[i] = make([]byte, f.Pitch()*f.Height)
	}
	from := map[string]int{}
	var drawn []string
	var missing []rune
	octants := 0
	slots := glyphSlots(set)
	for _, r := range set {
		i := slots[r]
		f.Unicode[i] = append([]rune{r}, alias[r]...)
		if _, ok := octant.Pattern(r); ok && draw(f, i, r, sources) {
			octants++
			continue
		}
		if exact[r] && draw(f, i, r, sources) {
			drawn = append(drawn, string(r))
			continue
		}
		if g, name := find(sources, sz.sources, r); g != nil {
			copy(f.Glyphs[i], g)
			from[name]++
			continue
		}
		if draw(f, i, r, sources) {
			drawn = append(drawn, string(r))
			continue
		}
		missing = append(missing, r)
	}
	if len(missing) > 0 && !must {
		return nil, ""
	}
	if len(missing) > 0 {
		log.Fatalf("%dx%d: no source has %q and none is drawn", sz.w, sz.h, string(missing))
	}
	var parts []string
	for _, name := range sz.sources {
		if from[name] > 0 {
			parts = append(parts, fmt.Sprintf("%d from %s", from[name], name))
		}
	}
	return f, strings.Join(parts, ", ") + fmt.Sprintf(", drawn: %s and %d octants", strings.Join(drawn, ""), octants)
}

// glyphSlots places the glyphs: printable ASCII at its own code (the
// console draws the glyph of that number for a character its Unicode map
// lacks, and fills erased cells with glyph 0x20 whatever the map says), the
// rest in the free slots in order.
func glyphSlots(set []rune) map[rune]int {
	slots := make(map[rune]int, len(set))
	used := make(map[int]bool)
	for _, r := range set {
		if r >= 0x20 && r < 0x7f {
			slots[r], used[int(r)] = int(r), true
		}
	}
	next := 0
	for _, r := range set {
		if _, ok := slots[r]; ok {
			continue
		}
		for used[next] {
			next++
		}
		slots[r], used[next] = next, true
	}
	return slots
}

var loaded = map[string]*psf.Font{}

// load reads the source fonts of sz (once).
func (sz size) load(dir string) []*psf.Font {
	var sources []*psf.Font
	for _, name := range sz.sources {
		if f := loaded[name]; f != nil {
			sources = append(sources, f)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name+".psf.gz"))
		if err != nil {
			log.Fatalf("%v (apt-get install console-setup-linux)", err)
		}
		f, err := psf.Parse(data)
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if f.Width != sz.w || f.Height != sz.h {
			log.Fatalf("%s: %dx%d, want %dx%d", name, f.Width, f.Height, sz.w, sz.h)
		}
		loaded[name] = f
		sources = append(sources, f)
	}
	return sources
}

// find returns the first source glyph drawn for r itself: Debian's fonts
// also map a code point they have no glyph for to a look-alike (═ to the
// glyph of ─, ▲ to ↑'s), listing it after the glyph's own code point.
func find(sources []*psf.Font, names []string, r rune) ([]byte, string) {
	for i, s := range sources {
		if g, ok := s.Index(r); ok && s.Unicode[g][0] == r {
			return s.Glyphs[g], names[i]
		}
	}
	return nil, ""
}

// exact are the block elements drawn here whatever the sources have: their
// halves must be exact, since they draw the QR code's modules (and the
// octant patterns they stand for share their glyphs).
var exact = map[rune]bool{'█': true, '▀': true, '▄': true, '▌': true, '▐': true}

// draw draws glyph i of f for r when no source has it (or r is exact).
func draw(f *psf.Font, i int, r rune, sources []*psf.Font) bool {
	w, h := f.Width, f.Height
	fill := func(on func(x, y int) bool) {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				f.Set(i, x, y, on(x, y))
			}
		}
	}
	if p, ok := octant.Pattern(r); ok {
		fill(func(x, y int) bool { return octant.Dot(p, x, y, w, h) })
		return true
	}
	switch r {
	case '█':
		fill(func(x, y int) bool { return true })
	case '▀':
		fill(func(x, y int) bool { return y < h/2 })
	case '▄':
		fill(func(x, y int) bool { return y >= h/2 })
	case '▌':
		fill(func(x, y int) bool { return x < w/2 })
	case '▐':
		fill(func(x, y int) bool { return x >= w/2 })
	case '░':
		fill(func(x, y int) bool { return x%2 == 0 && y%4 == 0 || x%2 == 1 && y%4 == 2 })
	case '▒':
		fill(func(x, y int) bool { return (x+y)%2 == 0 })
	case '▓':
		fill(func(x, y int) bool { return !(x%2 == 0 && y%4 == 0 || x%2 == 1 && y%4 == 2) })
	case '\uFFFD':
		// A reversed question mark in a box: clearly "not this character".
		q, ok := sources[0].Index('?')
		if !ok {
			return false
		}
		fill(func(x, y int) bool {
			inside := x >= 0 && x < w-1 && y >= h/8 && y < h-h/8
			return inside && !sources[0].Pixel(q, x, y)
		})
	case '━', '┃', '╭', '╮', '╰', '╯':
		// Heavy lines: the light line, twice as thick; rounded corners:
		// the square ones (as Debian's fonts map them).
		light := map[rune]rune{'━': '─', '┃': '│', '╭': '┌', '╮': '┐', '╰': '└', '╯': '┘'}[r]
		g, _ := find(sources, make([]string, len(sources)), light)
		if g == nil {
			return false
		}
		copy(f.Glyphs[i], g)
		if r == '━' || r == '┃' {
			thicken(f, i, r == '━')
		}
	default:
		return false
	}
	return true
}

// thicken doubles the thickness of the lines of glyph i, across rows
// (vertical: a horizontal line gets thicker) or across columns.
func thicken(f *psf.Font, i int, vertical bool) {
	var on [][2]int
	for y := 0; y < f.Height; y++ {
		for x := 0; x < f.Width; x++ {
			if f.Pixel(i, x, y) {
				on = append(on, [2]int{x, y})
			}
		}
	}
	// The stroke's width, to grow it by as much.
	n := 0
	for _, p := range on {
		if vertical && p[0] == f.Width/2 || !vertical && p[1] == f.Height/2 {
			n++
		}
	}
	for _, p := range on {
		for k := 1; k <= n; k++ {
			if vertical && p[1]+k < f.Height {
				f.Set(i, p[0], p[1]+k, true)
			}
			if !vertical && p[0]+k < f.Width {
				f.Set(i, p[0]+k, p[1], true)
			}
		}
	}
}

func writeGzip(path string, data []byte) error {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
