package vtcon

import (
	"slices"
	"strings"
	"testing"

	"nvrmenu/internal/octant"
)

func TestShippedFontHasEveryRequiredRune(t *testing.T) {
	for _, s := range FontSizes {
		f := Font(s)
		m := f.Map()
		var missing []rune
		for _, r := range RequiredRunes {
			if _, ok := m[r]; !ok {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%v: no glyph for %q", s, string(missing))
		}
		if f.Len() != 512 {
			t.Errorf("%v: %d glyphs, want 512 (the console takes 256 or 512)", s, f.Len())
		}
	}
	for _, r := range RequiredRunes {
		if !FontHas(r) {
			t.Errorf("FontHas(%q) = false", r)
		}
	}
	for _, r := range []rune{'漢', '✓', 0x1F600, '\t'} {
		if FontHas(r) {
			t.Errorf("FontHas(%q) = true, want false", r)
		}
	}
}

// TestASCIIAtItsOwnCode: the console fills erased cells with glyph 0x20
// and draws an ASCII character missing from the Unicode map with the glyph
// of its number, whatever the map says: ASCII must be where CP437 has it.
func TestASCIIAtItsOwnCode(t *testing.T) {
	for _, s := range FontSizes {
		m := Font(s).Map()
		for r := rune(0x20); r < 0x7f; r++ {
			if m[r] != int(r) {
				t.Errorf("%v: %q is glyph %d, want %d", s, r, m[r], r)
			}
		}
	}
}

func TestFontSizesDrawTheSameRunes(t *testing.T) {
	runes := func(s FontSize) []rune {
		var rs []rune
		for r := range Font(s).Map() {
			rs = append(rs, r)
		}
		slices.Sort(rs)
		return rs
	}
	first := runes(FontSizes[0])
	for _, s := range FontSizes[1:] {
		if got := runes(s); !slices.Equal(got, first) {
			t.Errorf("%v draws %d runes, %v draws %d: want the same set", s, len(got), FontSizes[0], len(first))
		}
	}
}

func TestShippedGlyphsAreDrawn(t *testing.T) {
	// Every mapped glyph but the space's has ink; the full block is full;
	// the half blocks are halves; the replacement glyph is not '?'.
	for _, s := range FontSizes {
		f := Font(s)
		m := f.Map()
		ink := func(g int) (n int) {
			for y := 0; y < f.Height; y++ {
				for x := 0; x < f.Width; x++ {
					if f.Pixel(g, x, y) {
						n++
					}
				}
			}
			return n
		}
		for r, g := range m {
			if r != ' ' && r != 0xa0 && r != octant.Rune(0) && ink(g) == 0 {
				t.Errorf("%v: %q has an empty glyph", s, r)
			}
		}
		cells := f.Width * f.Height
		if n := ink(m['█']); n != cells {
			t.Errorf("%v: █ has %d of %d pixels", s, n, cells)
		}
		if n := ink(m['▀']); n != cells/2 {
			t.Errorf("%v: ▀ has %d of %d pixels", s, n, cells)
		}
		if m['\uFFFD'] == m['?'] || m['═'] == m['─'] || m['▲'] == m['↑'] {
			t.Errorf("%v: a look-alike glyph stands in for �, ═ or ▲", s)
		}
	}
}

// TestOctants: every pattern of two columns by four rows draws its dots
// exactly, square at every size, and ▀ ▄ ▌ ▐ █ and the quadrants share
// the glyphs of their patterns.
func TestOctants(t *testing.T) {
	for _, s := range FontSizes {
		f := Font(s)
		m := f.Map()
		if s.Width/octant.Columns != s.Height/octant.Rows {
			t.Errorf("%v: dots of %dx%d pixels, not square", s, s.Width/octant.Columns, s.Height/octant.Rows)
		}
		for p := 0; p < 256; p++ {
			g, ok := m[octant.Rune(uint8(p))]
			if !ok {
				t.Errorf("%v: no glyph for pattern %#02x", s, p)
				continue
			}
			for y := 0; y < f.Height; y++ {
				for x := 0; x < f.Width; x++ {
					if f.Pixel(g, x, y) != octant.Dot(uint8(p), x, y, f.Width, f.Height) {
						t.Errorf("%v: pattern %#02x: pixel %d,%d wrong", s, p, x, y)
						y = f.Height
						break
					}
				}
			}
			if r, ok := octant.Equivalents[uint8(p)]; ok && m[r] != g {
				t.Errorf("%v: %q is glyph %d, its pattern %#02x glyph %d", s, r, m[r], p, g)
			}
		}
	}
}

func TestIsOurFont(t *testing.T) {
	for _, s := range FontSizes {
		data, n, err := Font(s).KernelData()
		if err != nil {
			t.Fatal(err)
		}
		if !isOurFont(&savedFont{width: s.Width, height: s.Height, count: n, data: data}) {
			t.Errorf("%v: our own font not recognised", s)
		}
		other := slices.Clone(data)
		other[len(other)/3] ^= 0x10
		if isOurFont(&savedFont{width: s.Width, height: s.Height, count: n, data: other}) {
			t.Errorf("%v: a font one pixel off taken for ours", s)
		}
	}
}

func TestChooseFontSize(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		want FontSize
	}{
		{1920, 1080, FontSize{16, 32}}, // 120x33
		{1920, 1200, FontSize{16, 32}},
		{1600, 900, FontSize{16, 32}},  // 100x28
		{1280, 720, FontSize{12, 24}},  // 106x30; 8x16 would be 160x45, smaller text
		{1280, 800, FontSize{12, 24}},  // virtio-gpu's default mode
		{1366, 768, FontSize{12, 24}},  // 113x32
		{1280, 1024, FontSize{12, 24}}, // 106x42
		{1024, 768, FontSize{8, 16}},   // 128x48
		{800, 600, FontSize{8, 16}},    // 100x37
		{640, 480, FontSize{8, 16}},    // 80x30: nothing leaves 100 columns
		{3840, 2160, FontSize{16, 32}}, // the largest we have
		{1920, 500, FontSize{8, 16}},   // 16x32 and 12x24 would leave 15 and 20 rows
		{0, 0, FontSize{8, 16}},        // unknown
	} {
		if got := ChooseFontSize(tc.w, tc.h); got != tc.want {
			t.Errorf("ChooseFontSize(%d, %d) = %v, want %v", tc.w, tc.h, got, tc.want)
		}
	}
}

func TestParseFontChoice(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want FontChoice
		err  string
	}{
		{"auto", FontChoice{Auto: true}, ""},
		{"", FontChoice{Auto: true}, ""},
		{"keep", FontChoice{Keep: true}, ""},
		{"8x16", FontChoice{Size: FontSize{8, 16}}, ""},
		{"12x24", FontChoice{Size: FontSize{12, 24}}, ""},
		{"16x32", FontChoice{Size: FontSize{16, 32}}, ""},
		{"11x22", FontChoice{}, `console font "11x22": want auto, keep or one of [8x16 12x24 16x32]`},
		{"16X32", FontChoice{}, "want auto"},
		{"big", FontChoice{}, "want auto"},
	} {
		got, err := ParseFontChoice(tc.in)
		if tc.err == "" && (err != nil || got != tc.want) {
			t.Errorf("ParseFontChoice(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseFontChoice(%q): error %v, want one containing %q", tc.in, err, tc.err)
		}
	}
}

func TestFontUnimap(t *testing.T) {
	f := Font(FontSizes[0])
	pairs := fontUnimap(f)
	if !slices.IsSortedFunc(pairs, func(a, b unipair) int { return int(a.Unicode) - int(b.Unicode) }) {
		t.Error("the map is not sorted")
	}
	for _, p := range pairs {
		if !slices.Contains(f.Unicode[p.FontPos], rune(p.Unicode)) {
			t.Errorf("U+%04X maps to glyph %d, which does not draw it", p.Unicode, p.FontPos)
		}
	}
	has := glyphSet(pairs)
	for _, r := range RequiredRunes {
		if !has(r) {
			t.Errorf("the map lacks %q", r)
		}
	}
}

func TestGlyphSetOfAConsoleMap(t *testing.T) {
	// The kernel's built-in font: CP437. ASCII always draws (vt.c falls
	// back to the glyph of the same number).
	has := glyphSet(cp437Map)
	for _, tc := range []struct {
		r    rune
		want bool
	}{
		{'a', true}, {'~', true}, {'à', true}, {'É', true}, {'▀', true}, {'═', true}, {'•', true},
		// The kernel's own map draws À on A's glyph: its look-alike.
		{'À', true}, {'Ì', true}, {'\uFFFD', true},
		{'…', false}, {'’', false}, {'€', false}, {'—', false},
	} {
		if got := has(tc.r); got != tc.want {
			t.Errorf("CP437: has(%q) = %v, want %v", tc.r, got, tc.want)
		}
	}
	if has := glyphSet(nil); !has('A') || has('à') {
		t.Error("an empty map: want ASCII only")
	}
}

func TestCP437Map(t *testing.T) {
	seen := map[uint16]bool{}
	for _, p := range cp437Map {
		if seen[p.Unicode] {
			t.Errorf("U+%04X listed twice", p.Unicode)
		}
		seen[p.Unicode] = true
		if p.FontPos > 255 {
			t.Errorf("U+%04X at glyph %d: CP437 fonts have 256", p.Unicode, p.FontPos)
		}
	}
	for r, pos := range map[rune]uint16{'A': 0x41, '☺': 0x01, 'Ç': 0x80, '░': 0xb0, '═': 0xcd, '■': 0xfe, 'ß': 0xe1} {
		found := false
		for _, p := range cp437Map {
			if rune(p.Unicode) == r {
				found = p.FontPos == pos
			}
		}
		if !found {
			t.Errorf("%q is not at 0x%02x", r, pos)
		}
	}
}
