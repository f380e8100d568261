package menu

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/palette"
	"nvrmenu/internal/vtcon"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// labels lists the texts that must show whole: titles, field labels,
// button labels and list items of the primitives under p.
func labels(p tview.Primitive) []string {
	var out []string
	if b, ok := p.(interface{ GetTitle() string }); ok {
		if t := strings.TrimSpace(b.GetTitle()); t != "" {
			out = append(out, t)
		}
	}
	if b, ok := p.(*panel); ok && b.title != "" {
		out = append(out, b.title)
	}
	switch p := p.(type) {
	case *form:
		for i := 0; i < p.GetFormItemCount(); i++ {
			item := p.GetFormItem(i)
			if l := strings.TrimSpace(item.GetLabel()); l != "" {
				out = append(out, l)
			}
			if a, ok := item.(*above); ok {
				out = append(out, a.text)
				if l := strings.TrimSpace(a.field.GetLabel()); l != "" {
					out = append(out, l)
				}
			}
			if dd, ok := item.(*dropDown); ok {
				_, opt := dd.GetCurrentOption()
				out = append(out, opt)
			}
			if t, ok := item.(formText); ok {
				out = append(out, t.GetText(false))
			}
		}
		for i := 0; i < p.GetButtonCount(); i++ {
			out = append(out, p.GetButton(i).GetLabel())
		}
	case *list:
		for i := 0; i < p.GetItemCount(); i++ {
			main, second := p.GetItemText(i)
			out = append(out, strings.TrimSpace(main))
			if second != "" {
				out = append(out, second)
			}
		}
	}
	for _, c := range children(p) {
		out = append(out, labels(c)...)
	}
	return out
}

// messages lists the messages under p.
func messages(p tview.Primitive) []*message {
	var out []*message
	if msg, ok := p.(*message); ok {
		out = append(out, msg)
	}
	if mt, ok := p.(*meter); ok {
		out = append(out, mt.reasons)
	}
	for _, c := range children(p) {
		out = append(out, messages(c)...)
	}
	return out
}

// fitSizes are the console sizes the menu is made for: 80x25 to 240x67,
// with what the recorder's monitors give with the console's fonts (16x32
// at 1080p is 120x33, 8x16 at 720p 160x45, 1280x800 160x50, 1366x768 with
// 12x24 about 113x32).
var fitSizes = [][2]int{{80, 25}, {100, 37}, {113, 32}, {120, 33}, {160, 45}, {160, 50}, {240, 67}}

// TestEveryScreenFits shows every screen in both languages at every size,
// on the console and on xterm, and checks that each title, label, button
// and list item shows whole on one line, every message shows wrapped whole
// with no word split at a hyphen, the frame fills the screen with no black
// bar, the column is centred at the readable width, every glyph reaches
// 4.5:1, and the focus is visible.
func TestEveryScreenFits(t *testing.T) {
	sizes, modes := fitSizes, []bool{true, false}
	if emulated() {
		// Under qemu-user the suite is for the 32- and 64-bit ARM builds,
		// not the layouts (the same on every machine): the two extremes.
		sizes, modes = [][2]int{fitSizes[0], fitSizes[len(fitSizes)-1]}, []bool{true}
	}
	for _, lang := range []string{"it", "en"} {
		for _, console := range modes {
			for _, size := range sizes {
				name := fmt.Sprintf("%s-%dx%d", lang, size[0], size[1])
				if console {
					name += "-console"
				}
				t.Run(name, func(t *testing.T) {
					checkScreensFit(t, lang, size[0], size[1], Display{Console: console})
				})
			}
		}
	}
}

func checkScreensFit(t *testing.T, lang string, w, hh int, d Display) {
	h := newHarness(t, harnessOptions{activated: true, lang: lang, w: w, h: hh, display: d})
	h.setEmail("owner@example.org")
	h.setupGUID(t.TempDir())
	s, err := h.core.Login(recovery.AdminUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	cat := recovery.QuestionCatalogue()
	if err := s.SetSecurityQuestions([3]recovery.QuestionAnswer{{ID: cat[0], Answer: "uno"}, {ID: cat[1], Answer: "due"}, {ID: cat[13], Answer: "tre"}}); err != nil {
		t.Fatal(err)
	}
	ticket, err := h.core.VerifyAnswers([3]string{"uno", "due", "tre"})
	if err != nil {
		t.Fatal(err)
	}
	h.plug("STICK")
	screens := []struct {
		name string
		show func()
	}{
		{"login", func() { h.m.showLogin(h.m.tr.T(texts.LoginWithNew)) }},
		{"forgot", h.m.showForgot},
		{"guid", h.m.showGUIDImport},
		{"questions", h.m.showQuestions},
		{"email", h.m.showEmail},
		{"email-qr", func() { h.m.loadChallenge(false, h.m.showEmailQR) }},
		{"new-password", func() { h.m.showNewPassword(ticket) }},
		{"account", func() { h.m.session = s; h.m.showAccount(h.m.tr.T(texts.Activated)) }},
		{"setup", func() { h.m.session = s; h.m.showAccountMode(h.m.tr.T(texts.PasswordSet), true) }},
		{"guid-export", func() { h.m.session = s; h.m.showGUIDExport(h.m.showStart) }},
		{"change-password", func() { h.m.session = s; h.m.showChangePassword(h.m.showStart) }},
		{"set-questions", func() { h.m.session = s; h.m.showSetQuestions(h.m.showStart) }},
		{"set-email", func() { h.m.session = s; h.m.showSetEmail(h.m.showStart) }},
	}
	for _, sc := range screens {
		h.m.app.QueueUpdateDraw(sc.show)
		h.waitScreen(sc.name)
		found := onUI(h, func() [2][]string {
			_, p := h.m.pages.GetFrontPage()
			var texts []string
			for _, msg := range messages(p) {
				texts = append(texts, msg.String())
			}
			return [2][]string{labels(p), texts}
		})
		want, texts := found[0], found[1]
		if len(want) < 3 {
			t.Fatalf("%s: only %q to check: the walk missed the screen", sc.name, want)
		}
		screen := h.screen()
		for _, l := range want {
			if !strings.Contains(screen, l) {
				t.Errorf("%s: %q not shown whole:\n%s", sc.name, l, screen)
			}
		}
		for _, text := range texts {
			if !onScreen(screen, text) {
				t.Errorf("%s: message %q not shown whole:\n%s", sc.name, text, screen)
			}
		}
		h.checkUsesTheScreen(sc.name, w, hh)
		h.checkContrast(sc.name)
		h.checkFocusVisible(sc.name)
		if os.Getenv("NVRMENU_SCREENS") != "" {
			h.snapshotIn(fmt.Sprintf("fit-%s-%dx%d-%v-%s", lang, w, hh, d.Console, sc.name), fontFor(w, hh))
		}
	}
}

// checkUsesTheScreen checks the screen's chrome and layout: the title bar
// on the top row (the recorder, and the screen's place), the footer on the
// bottom row with no black in it (fbcon's margin below it is the menu's
// background, not a band of another colour), no cell of the terminal's
// black where the menu's background belongs, the panel centred between the
// sides, no word split at a hyphen.
func (h *harness) checkUsesTheScreen(name string, w, hh int) {
	h.t.Helper()
	problems := onUI(h, func() []string {
		var out []string
		cells, sw, sh := h.sim.GetContents()
		if sw != w || sh != hh {
			return []string{fmt.Sprintf("screen %dx%d, want %dx%d", sw, sh, w, hh)}
		}
		row := func(y int) string {
			var b strings.Builder
			for x := 0; x < sw; x++ {
				r := ' '
				if c := cells[y*sw+x]; len(c.Runes) > 0 {
					r = c.Runes[0]
				}
				b.WriteRune(r)
			}
			return b.String()
		}
		bar := h.m.displayStyle(roleTitleBar)
		for x := 0; x < sw; x++ {
			if c := cells[x]; c.Style != bar && c.Style != h.m.displayStyle(roleTitleBarPlace) {
				out = append(out, fmt.Sprintf("title bar: cell %d is not the bar's", x))
				break
			}
		}
		if !strings.Contains(row(0), h.m.serial()) {
			out = append(out, fmt.Sprintf("title bar %q: no serial %q", row(0), h.m.serial()))
		}
		if f := h.m.current; f != nil && !strings.Contains(row(0), h.m.tr.T(f.title)) {
			out = append(out, fmt.Sprintf("title bar %q: no %q", row(0), h.m.tr.T(f.title)))
		}
		blackOK := map[tcell.Style]bool{}
		for r := role(0); r < roleCount; r++ {
			if styleTable[r].bg == black {
				blackOK[h.m.displayStyle(r)] = true
			}
		}
		for i := sw; i < len(cells); i++ {
			c := cells[i]
			_, bg := paletteOf(c.Style)
			if h.m.opts.Display.Console {
				bg = palette.ConsoleSlot(bg) // the console's entries, in the daemon's order
			}
			if bg == black && (!blackOK[c.Style] || i >= (sh-1)*sw) {
				out = append(out, fmt.Sprintf("cell %d,%d: black, a bar where the background belongs", i%sw, i/sw))
				break
			}
		}
		// No word is split across two lines: a line never ends in a
		// letter and a hyphen ("e-" / "mail").
		for y := 0; y < sh; y++ {
			line := strings.TrimRight(strings.TrimRight(row(y), " │║|"), " ")
			if n := len([]rune(line)); n >= 2 {
				last := []rune(line)[n-2:]
				if last[1] == '-' && unicode.IsLetter(last[0]) {
					out = append(out, fmt.Sprintf("row %d ends in a split word: %q", y, line))
				}
			}
		}
		if f := h.m.current; f != nil && !f.wide {
			fx, _, fw, _ := f.GetInnerRect()
			px, _, pw, _ := f.panel.GetRect()
			if left, right := px-fx, fx+fw-(px+pw); left < panelMarginX || right < panelMarginX || left-right > 1 || right-left > 1 {
				out = append(out, fmt.Sprintf("panel at %d, %d wide: margins %d and %d, want equal, at least %d", px, pw, left, right, panelMarginX))
			}
		}
		return out
	})
	for _, p := range problems {
		h.t.Errorf("%s at %dx%d: %s", name, w, hh, p)
	}
}

// TestWrapKeepsWordsWhole (#11.17): lines break at spaces only, never after
// a hyphen as tview's own wrapping does ("e-" / "mail").
func TestWrapKeepsWordsWhole(t *testing.T) {
	for _, tc := range []struct {
		text  string
		width int
		want  []string
	}{
		{"Indirizzo e-mail di recupero salvato.", 12, []string{"Indirizzo", "e-mail di", "recupero", "salvato."}},
		{"Indirizzo e-mail", 11, []string{"Indirizzo", "e-mail"}},
		{"a\nb c", 5, []string{"a", "b c"}},
		{"abcdefgh", 3, []string{"abc", "def", "gh"}},
		{"", 10, []string{""}},
	} {
		if got := wrap(tc.text, tc.width); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.text, tc.width, got, tc.want)
		}
	}
}

// emulated reports a run under qemu-user (build.sh test's ARM suites), 10
// to 30 times slower: the layout walks there take their extremes only.
func emulated() bool { return os.Getenv("NVRMENU_EMULATED") != "" }

// fontFor is the font size the daemon picks for a grid of w x h cells, of
// those the recorder's monitors give (see grids): the pictures' cells.
func fontFor(w, h int) vtcon.FontSize {
	for _, g := range grids {
		if g.cols == w && g.rows == h {
			return g.font
		}
	}
	return vtcon.FontSize{Width: cellW, Height: cellH}
}
