package vtcon

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"nvrmenu/internal/octant"
	"nvrmenu/internal/vtcon/psf"
)

// FontName is the shipped font's name. It derives from Terminus, whose
// licence (SIL OFL 1.1, fonts/OFL.txt) reserves the name "Terminus Font".
const FontName = "NVR Console"

// FontSize is a font's cell size in pixels.
type FontSize struct{ Width, Height int }

func (s FontSize) String() string { return fmt.Sprintf("%dx%d", s.Width, s.Height) }

// FontSizes are the sizes of the shipped font, smallest first.
var FontSizes = []FontSize{{8, 16}, {12, 24}, {16, 32}}

//go:embed fonts/*.psf.gz
var fontFiles embed.FS

var fonts = sync.OnceValue(func() map[FontSize]*psf.Font {
	m := make(map[FontSize]*psf.Font)
	for _, s := range FontSizes {
		data, err := fontFiles.ReadFile("fonts/nvrconsole-" + s.String() + ".psf.gz")
		if err != nil {
			panic("vtcon: the shipped font: " + err.Error()) // a build mistake
		}
		f, err := psf.Parse(data)
		if err != nil || f.Width != s.Width || f.Height != s.Height {
			panic(fmt.Sprintf("vtcon: the shipped %v font: %v", s, err))
		}
		m[s] = f
	}
	return m
})

// Font returns the shipped font of that size, nil for a size not shipped.
// The caller must not change it.
func Font(size FontSize) *psf.Font { return fonts()[size] }

var fontRunes = sync.OnceValue(func() map[rune]bool {
	m := make(map[rune]bool)
	for r := range Font(FontSizes[0]).Map() {
		m[r] = true
	}
	return m
})

// FontHas reports whether the shipped font draws r (every size draws the
// same runes: a test holds them to it).
func FontHas(r rune) bool { return fontRunes()[r] }

// RequiredRunes are the runes the shipped font must draw: ASCII, the box
// drawing tview and the menu use (single, double, mixed, heavy and rounded
// lines), the block elements of the strength meter and the buttons, the
// Italian accented letters in both cases and the punctuation of the
// catalogue, arrows, the replacement character, and the 256 octant
// patterns of the QR code (internal/octant), the quadrants among them.
var RequiredRunes = func() []rune {
	var rs []rune
	for r := rune(0x20); r < 0x7f; r++ {
		rs = append(rs, r)
	}
	rs = append(rs, []rune(""+
		"─│┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫━┃╭╮╰╯"+
		"▀▄█░▒▓▌▐■▖▗▘▙▚▛▜▝▞▟"+
		"àèéìòùÀÈÉÌÒÙáíóúÁÍÓÚçÇ«»°"+
		"…←↑→↓▲▼◀▶•·’‘“”–—€\uFFFD×±")...)
	for p := 0; p < 256; p++ {
		rs = append(rs, octant.Rune(uint8(p)))
	}
	return rs
}()

// FontChoice is what console.font asks for.
type FontChoice struct {
	Keep bool     // "keep": leave the firmware's font
	Auto bool     // "auto": pick the size from the screen
	Size FontSize // otherwise
}

// ParseFontChoice reads console.font: "auto", "keep" or a shipped size
// such as "16x32".
func ParseFontChoice(s string) (FontChoice, error) {
	switch s {
	case "auto", "":
		return FontChoice{Auto: true}, nil
	case "keep":
		return FontChoice{Keep: true}, nil
	}
	w, h, ok := strings.Cut(s, "x")
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	size := FontSize{wi, hi}
	if !ok || err1 != nil || err2 != nil || !slices.Contains(FontSizes, size) {
		return FontChoice{}, fmt.Errorf("console font %q: want auto, keep or one of %v", s, FontSizes)
	}
	return FontChoice{Size: size}, nil
}

// Minimum columns and rows ChooseFontSize leaves.
const (
	MinColumns = 100
	MinRows    = 25
)

// ChooseFontSize picks the largest shipped size that leaves at least
// MinColumns x MinRows cells on a screen of width x height pixels, and the
// smallest when none does: 1920x1080 gets 16x32 (120x33 cells), 1280x720
// and 1366x768 12x24 (106x30, 113x32), 1024x768 and 800x600 8x16 (128x48,
// 100x37).
func ChooseFontSize(width, height int) FontSize {
	for i := len(FontSizes) - 1; i > 0; i-- {
		s := FontSizes[i]
		if width/s.Width >= MinColumns && height/s.Height >= MinRows {
			return s
		}
	}
	return FontSizes[0]
}
