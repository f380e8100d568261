package menu

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// kernelFont is what the kernel's built-in 8x16 console font draws, as
// measured on the HDMI console (FIELD-NOTES): ASCII, some accented letters,
// blocks, frames and a few marks; no "…", no À È Ì Ò Ù, no typographic
// quotes.
func kernelFont(r rune) bool {
	return r >= ' ' && r <= '~' || strings.ContainsRune("àèéìòùÉ▀▄█░▒▓═║╔╗╚╝─│┌┐└┘•→←↑↓▲▼±×«»°", r)
}

// asciiFont draws printable ASCII only: no frames, no blocks.
func asciiFont(r rune) bool { return r >= ' ' && r <= '~' }

// scene is one state of the screen the walks below look at.
type scene struct {
	name string
	show func(h *harness) // drives the menu there, by keys and clicks where it can
}

// passwordOf finds a password the core rates s.
func passwordOf(h *harness, s pwpolicy.Strength) string {
	for _, pw := range []string{"password", "kfrwzq7m", "Kfrwzq7m", "Rb4$kXv7%mZq9&"} {
		if got, _ := h.core.PasswordStrength(pw); got == s {
			return pw
		}
	}
	h.t.Fatalf("no sample password rates %v", s)
	return ""
}

// scenes are the overlays and states the screen walks of the fit test do
// not reach: dialogs, the busy sign, the on-screen keyboard on both pages
// and in upper case, the stick chooser, an open drop-down, the strength
// meter at every level, an error, a list without the focus, App Scan QR,
// the demo's help, the too-small screen.
func scenes() []scene {
	onUI := func(f func(h *harness)) func(h *harness) {
		return func(h *harness) { h.m.app.QueueUpdateDraw(func() { f(h) }) }
	}
	return []scene{
		{"login-error", func(h *harness) {
			h.m.app.QueueUpdateDraw(func() { h.m.showLogin("") })
			h.waitScreen("login")
			h.typeText("Wrong!pw9x")
			h.key(tcell.KeyEnter)
			h.waitText(h.tr(texts.ErrWrongLogin))
		}},
		{"dialog", onUI(func(h *harness) { h.m.alert(h.m.tr.F(texts.EmailSaved, "mario.rossi@esempio.it"), nil) })},
		{"busy", onUI(func(h *harness) { h.m.showBusy() })},
		{"keyboard-letters", func(h *harness) {
			h.m.app.QueueUpdateDraw(func() { h.m.hideBusy(); h.m.showLogin("") })
			h.waitScreen("login")
			h.key(tcell.KeyF2)
			h.waitFor(func(string) bool { return h.keyboard() != nil }, "keyboard")
		}},
		{"keyboard-shift", func(h *harness) { h.clickKey(h.tr(texts.KeyShift)) }},
		{"keyboard-symbols", func(h *harness) { h.clickKey(h.tr(texts.KeySymbols)) }},
		{"forgot-disabled", func(h *harness) {
			h.key(tcell.KeyEscape)
			h.waitFor(func(string) bool { return h.keyboard() == nil }, "keyboard closed")
			h.m.app.QueueUpdateDraw(h.m.openForgot)
			h.waitScreen("forgot")
			h.key(tcell.KeyDown) // onto a method that cannot be chosen
			h.waitFor(func(string) bool {
				return h.onUI(func() bool { l, ok := h.focusedList(); return ok && l.GetCurrentItem() == 1 })
			}, "the second method selected")
		}},
		{"guid-idle-selection", func(h *harness) {
			h.m.app.QueueUpdateDraw(h.m.showGUIDImport)
			h.waitScreen("guid")
			h.waitText(testSerial)
			h.key(tcell.KeyTab) // to the buttons: the selection stays, quieter
			h.waitFor(func(string) bool { return h.onUI(func() bool { _, ok := h.focusedList(); return !ok }) }, "focus on the buttons")
		}},
		{"stick-chooser", onUI(func(h *harness) { h.m.pickStick(func(usb.Stick) {}) })},
		{"set-questions-open", func(h *harness) {
			h.key(tcell.KeyEscape)
			h.waitFor(func(string) bool { return h.onUI(func() bool { return !h.m.pages.HasPage(pageDialog) }) }, "chooser closed")
			h.m.app.QueueUpdateDraw(func() { h.m.session = h.session(); h.m.showSetQuestions(h.m.showStart) })
			h.waitScreen("set-questions")
			h.key(tcell.KeyEnter) // opens the first drop-down
			h.waitFor(func(string) bool {
				return h.onUI(func() bool { _, open := h.m.app.GetFocus().(*tview.List); return open })
			}, "drop-down open")
		}},
		{"meter-risky", func(h *harness) { h.meterAt(pwpolicy.StrengthRisky) }},
		{"meter-weak", func(h *harness) { h.meterAt(pwpolicy.StrengthWeak) }},
		{"meter-medium", func(h *harness) { h.meterAt(pwpolicy.StrengthMedium) }},
		{"meter-strong", func(h *harness) { h.meterAt(pwpolicy.StrengthStrong) }},
		{"app-scan-qr", func(h *harness) {
			h.resize(120, 33)
			h.m.app.QueueUpdateDraw(func() { h.m.loadChallenge(false, h.m.showEmailQR) })
			h.waitScreen("email-qr")
		}},
		{"demo-help", func(h *harness) {
			h.key(tcell.KeyF1)
			h.waitText(h.tr(texts.DemoHelpTitle))
		}},
		{"too-small", func(h *harness) {
			h.resize(79, 24)
			h.waitText(h.m.tr.F(texts.ScreenTooSmall, 79, 24))
		}},
	}
}

// meterAt shows the change-password screen with a password of strength s
// typed.
func (h *harness) meterAt(s pwpolicy.Strength) {
	h.m.app.QueueUpdateDraw(func() { h.m.session = h.session(); h.m.showChangePassword(h.m.showStart) })
	h.waitScreen("change-password")
	h.key(tcell.KeyTab) // the new password
	h.waitFor(func(string) bool {
		return h.onUI(func() bool { f, ok := h.m.app.GetFocus().(*field); return ok && f.label == h.m.tr.T(texts.NewPassword) })
	}, "the new password's field")
	h.typeText(passwordOf(h, s))
	h.waitText(h.tr(texts.Strength), h.m.tr.Strength(s))
}

// session logs the admin in through the core, once per harness.
func (h *harness) session() *recovery.Session {
	if h.sess == nil || !h.sess.Active() {
		s, err := h.core.Login(recovery.AdminUser, testPassword)
		if err != nil {
			h.t.Fatal(err)
		}
		h.sess = s
	}
	return h.sess
}

// walkScenes drives a harness with a reserved address, a GUID file on a
// plugged stick and no questions through every scene, calling check after
// each frame has settled.
func walkScenes(t *testing.T, o harnessOptions, check func(h *harness, name string)) {
	o.activated = true
	o.demoHelp = "nvr-menud demo device in /tmp/demo\n  plug a stick: mkdir /tmp/demo/media/STICK"
	h := newHarness(t, o)
	h.setEmail("owner@example.org")
	stick := h.plug("STICK")
	h.setupGUID(stick)
	for _, sc := range scenes() {
		sc.show(h)
		// Settle: one more frame after the scene's own.
		h.waitFor(func(string) bool { return h.onUI(func() bool { return true }) }, "a frame")
		check(h, sc.name)
		if os.Getenv("NVRMENU_SCREENS") != "" {
			h.snapshot(fmt.Sprintf("scene-%s-%s", t.Name(), sc.name))
		}
	}
}

// TestOverlaysContrast: in every scene, every glyph on screen reaches 4.5:1
// in the palette the screen shows, on the console and on xterm.
func TestOverlaysContrast(t *testing.T) {
	for _, console := range []bool{true, false} {
		if emulated() && !console {
			continue // see emulated
		}
		t.Run(fmt.Sprintf("console-%v", console), func(t *testing.T) {
			walkScenes(t, harnessOptions{w: 100, h: 37, display: Display{Console: console}}, func(h *harness, name string) {
				h.checkContrast(name)
			})
		})
	}
}

// TestGlyphsTheFontHas: with a font that lacks glyphs (the kernel's, or
// ASCII alone) no cell ever shows a rune the font refuses (the console
// would draw ■): texts are substituted before layout ("..." for "…", the
// on-screen keyboard's "A'" for "À"), frames and blocks fall back to
// ASCII, the QR code to whole cells.
func TestGlyphsTheFontHas(t *testing.T) {
	for _, tc := range []struct {
		name string
		has  func(rune) bool
	}{{"kernel", kernelFont}, {"ascii", asciiFont}} {
		if emulated() && tc.name != "kernel" {
			continue // see emulated
		}
		t.Run(tc.name, func(t *testing.T) {
			walkScenes(t, harnessOptions{w: 100, h: 37, display: Display{Console: true, HasGlyph: tc.has}}, func(h *harness, name string) {
				bad := onUI(h, func() []string {
					var out []string
					cells, w, _ := h.sim.GetContents()
					for i, c := range cells {
						for _, r := range c.Runes {
							if !tc.has(r) {
								out = append(out, fmt.Sprintf("%q at %d,%d", r, i%w, i/w))
							}
						}
					}
					return out
				})
				if len(bad) > 0 {
					t.Errorf("%s: runes the font lacks on screen: %v\n%s", name, bad[:min(len(bad), 8)], h.screen())
				}
				switch name {
				case "busy":
					// Substituted before layout: the whole of it fits.
					h.waitText(strings.ReplaceAll(h.m.c().T(texts.Working), "…", "..."))
				case "keyboard-shift":
					if tc.name == "kernel" {
						h.waitText("A'") // À, as Italian typewriters wrote it
					}
				}
			})
		})
	}
}

// c is the shared catalogue behind the menu's, unsubstituted.
func (m *Menu) c() *texts.Catalogue { return m.tr.c }

// TestSubstituteFromTheDaemon: the daemon's own Substitute (from the
// console's Unicode map) is what the menu uses on every text it shows.
func TestSubstituteFromTheDaemon(t *testing.T) {
	upper := func(s string) string { return strings.Map(unicode.ToUpper, s) }
	h := newHarness(t, harnessOptions{activated: true, display: Display{Console: true, Substitute: upper}})
	h.waitScreen("login")
	h.waitText(upper(h.m.c().T(texts.TitleLogin)), upper(h.m.c().T(texts.ForgotPassword)), upper(h.m.c().F(texts.DeviceSerial, testSerial)))
	h.key(tcell.KeyF2)
	h.waitFor(func(string) bool { return h.keyboard() != nil }, "keyboard")
	h.waitText(" Q ", " À ") // the caps, through Substitute
}

// TestCatalogueSubstituted: every text of the catalogue, in both languages,
// substituted for the kernel's font or for ASCII alone, has only runes the
// font draws.
func TestCatalogueSubstituted(t *testing.T) {
	for _, font := range []func(rune) bool{kernelFont, asciiFont} {
		sub := substituter(Display{HasGlyph: font})
		for _, lang := range texts.Languages {
			c, _ := texts.New(lang)
			for _, id := range texts.IDs() {
				if got := sub(c.T(id)); strings.ContainsFunc(got, func(r rune) bool { return !font(r) && r != '\n' }) {
					t.Errorf("%s %s: %q keeps a rune the font lacks", lang, id, got)
				}
			}
		}
	}
	if got := substituter(Display{HasGlyph: kernelFont})("Verifica in corso… È già"); got != "Verifica in corso... E' già" {
		t.Errorf("substituted as %q", got)
	}
}
