package menu

import (
	"fmt"
	"testing"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/texts"
)

// TestKeyFrames: a key that only edits the focused field redraws that
// field alone (Menu.fieldOnly), and the screen it leaves is the very one a
// whole frame draws, cell for cell, colours included; a key whose change
// shows elsewhere (a refusal cleared, the strength meter) or that moves the
// focus draws the whole frame.
//
// Which kind of frame a key got is seen from outside: a mark written into
// the screen's cells, away from the field, survives a field's frame and is
// wiped by a whole one.
func TestKeyFrames(t *testing.T) {
	type key struct {
		k tcell.Key
		r rune
	}
	runes := func(s string) []key {
		var ks []key
		for _, r := range s {
			ks = append(ks, key{tcell.KeyRune, r})
		}
		return ks
	}
	for _, tc := range []struct {
		name   string
		setup  func(h *harness)
		keys   []key
		fields bool // every key is a field's frame; else every one is whole
	}{
		{"login password, typed and erased", func(h *harness) {}, append(runes("abc"),
			key{k: tcell.KeyBackspace2}, key{k: tcell.KeyLeft}, key{k: tcell.KeyHome}, key{k: tcell.KeyEnd},
			key{k: tcell.KeyDelete}, key{k: tcell.KeyCtrlU}), true},
		{"login user name", func(h *harness) {
			h.key(tcell.KeyBacktab)
			h.waitFor(func(string) bool {
				return h.onUI(func() bool { f, ok := h.m.app.GetFocus().(*field); return ok && !f.masked })
			}, "the user name's field")
		}, append(runes("xy"), key{k: tcell.KeyBackspace}), true},
		{"login password after a refusal: the refusal goes", func(h *harness) {
			h.typeText("Wrong!pass9")
			h.key(tcell.KeyEnter)
			h.waitText(h.tr(texts.ErrWrongLogin))
		}, runes("a"), false},
		{"new password: the meter moves", func(h *harness) {
			h.m.app.QueueUpdateDraw(func() { h.m.session = h.session(); h.m.showChangePassword(h.m.showStart) })
			h.waitScreen("change-password")
			h.key(tcell.KeyTab)
			h.waitFor(func(string) bool {
				return h.onUI(func() bool { f, ok := h.m.app.GetFocus().(*field); return ok && f.label == h.m.tr.T(texts.NewPassword) })
			}, "the new password's field")
		}, runes("Rb4$"), false},
		{"Tab moves the focus", func(h *harness) {}, []key{{k: tcell.KeyTab}, {k: tcell.KeyBacktab}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true})
			h.waitScreen("login")
			tc.setup(h)
			for i, k := range tc.keys {
				// The mark: a cell of the blue above the panel.
				const markX, markY = 1, 2
				mark := fmt.Sprint("key ", i)
				before := h.frames.Load()
				onUI(h, func() bool {
					h.sim.SetContent(markX, markY, '§', nil, tcell.StyleDefault)
					return true
				})
				h.sim.InjectKey(k.k, k.r, tcell.ModNone)
				h.waitFor(func(string) bool { return h.frames.Load() > before }, mark+"'s frame")
				got := h.cells()
				if kept := got[markY*h.width()+markX].Runes[0] == '§'; kept != tc.fields {
					t.Fatalf("%s (%v %q): a field's frame %v, want %v; screen:\n%s", mark, k.k, k.r, kept, tc.fields, h.screen())
				}
				// A whole frame of the same state: nothing differs.
				onUI(h, func() bool { h.sim.SetContent(markX, markY, ' ', nil, tcell.StyleDefault); return true })
				before = h.frames.Load()
				h.m.app.QueueUpdateDraw(func() {})
				h.waitFor(func(string) bool { return h.frames.Load() > before }, "a whole frame")
				want := h.cells()
				for j := range want {
					if j == markY*h.width()+markX {
						continue
					}
					if string(got[j].Runes) != string(want[j].Runes) || got[j].Style != want[j].Style {
						t.Fatalf("%s: cell %d,%d is %q %v, a whole frame draws %q %v; screen:\n%s",
							mark, j%h.width(), j/h.width(), string(got[j].Runes), got[j].Style, string(want[j].Runes), want[j].Style, h.screen())
					}
				}
			}
		})
	}
}

// cells is a copy of the screen's cells, read on the UI goroutine.
func (h *harness) cells() []tcell.SimCell {
	return onUI(h, func() []tcell.SimCell {
		cells, _, _ := h.sim.GetContents()
		out := make([]tcell.SimCell, len(cells))
		for i, c := range cells {
			out[i] = tcell.SimCell{Runes: append([]rune(nil), c.Runes...), Style: c.Style}
		}
		return out
	})
}

// width is the screen's width in cells.
func (h *harness) width() int {
	return onUI(h, func() int { w, _ := h.sim.Size(); return w })
}
