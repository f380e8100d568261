package menu

import (
	"fmt"
	"testing"

	"nvrmenu/internal/vtcon"
	"nvrmenu/texts"
)

// TestShippedFontHasEveryText: the font the daemon loads on the recorder's
// console (NVR Console) draws every rune of every text of the catalogue,
// in both languages, security questions included, with nothing
// substituted.
func TestShippedFontHasEveryText(t *testing.T) {
	for _, lang := range texts.Languages {
		c, _ := texts.New(lang)
		for _, id := range texts.IDs() {
			for _, r := range c.T(id) {
				if r != '\n' && !vtcon.FontHas(r) {
					t.Errorf("%s %s: the shipped font lacks %q (U+%04X)", lang, id, r, r)
				}
			}
		}
	}
}

// TestShippedFontHasEveryGlyphDrawn: every screen and overlay the menu
// draws — frames, the soft keyboard's pages, the QR code, the strength
// meter, the pointer — drawn with no font limit at all, uses only runes
// the shipped font has: on the recorder nothing is substituted.
func TestShippedFontHasEveryGlyphDrawn(t *testing.T) {
	seen := map[rune]bool{}
	walkScenes(t, harnessOptions{w: 120, h: 40}, func(h *harness, name string) {
		bad := onUI(h, func() []string {
			var out []string
			cells, w, _ := h.sim.GetContents()
			for i, c := range cells {
				for _, r := range c.Runes {
					seen[r] = true
					if !vtcon.FontHas(r) {
						out = append(out, fmt.Sprintf("%q at %d,%d", r, i%w, i/w))
					}
				}
			}
			return out
		})
		if len(bad) > 0 {
			t.Errorf("%s: runes the shipped font lacks: %v\n%s", name, bad[:min(len(bad), 8)], h.screen())
		}
	})
	for _, r := range "╔═╗║▀▄█" { // frames, the QR, the meter
		if !seen[r] {
			t.Errorf("no scene drew %q: the walk missed a widget", r)
		}
	}
}
