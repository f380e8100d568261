package menu

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/vtcon"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// The menu items of the field trial (issue #11): each driven on the
// simulated screen by keys and by clicks.

// focusLabel names what has the focus: a field's or drop-down's label, a
// button's, "list" for a list. On the UI goroutine.
func (h *harness) focusLabel() string {
	switch p := h.m.app.GetFocus().(type) {
	case *field:
		return p.label
	case *above:
		return p.label
	case *dropDown:
		return strings.TrimSpace(p.GetLabel())
	case *tview.Button:
		return p.GetLabel()
	case *list, *tview.List:
		return "list"
	case nil:
		return "nothing"
	default:
		return fmt.Sprintf("%T", p)
	}
}

// waitFocus waits until the focus is on what is labelled label.
func (h *harness) waitFocus(label string) {
	h.t.Helper()
	h.waitFor(func(string) bool { return onUI(h, h.focusLabel) == label }, "focus on "+label+" (it is on "+onUI(h, h.focusLabel)+")")
}

// focusedText is the text of the focused field.
func (h *harness) focusedText() string {
	return onUI(h, func() string {
		if f, ok := h.m.app.GetFocus().(*field); ok {
			return f.GetText()
		}
		return "(no field)"
	})
}

// toAccount logs in with the keyboard: the account screen.
func (h *harness) toAccount() {
	h.t.Helper()
	h.waitScreen("login")
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
}

// fill types each text into the form's fields in turn, Tab between them,
// starting in the focused one.
func (h *harness) fill(values ...string) {
	for i, v := range values {
		if i > 0 {
			h.key(tcell.KeyTab)
		}
		h.typeText(v)
	}
}

// TestFocusReturnsToTheFieldInError (#11.8): after a refusal the cursor is
// in the field to correct, on the e-mail and change-password forms, whether
// the form was sent with Enter or with a click on Ok; what the owner types
// next goes there.
func TestFocusReturnsToTheFieldInError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		open   texts.ID // the account screen's item
		screen string
		values []string
		click  bool
		want   texts.ID // the message, its start
		focus  texts.ID // the field that has the focus after
		kept   string   // what that field still holds
	}{
		{"e-mail, last label, Enter", texts.SetEmail, "set-email", []string{"mario.rossi@gmail.c", "mario.rossi@gmail.c"}, false, texts.ErrEmailTLD, texts.EmailAddress, "mario.rossi@gmail.c"},
		{"e-mail, last label, click", texts.SetEmail, "set-email", []string{"mario.rossi@gmail.c", "mario.rossi@gmail.c"}, true, texts.ErrEmailTLD, texts.EmailAddress, "mario.rossi@gmail.c"},
		{"e-mail, the two differ, Enter", texts.SetEmail, "set-email", []string{"mario@esempio.it", "maria@esempio.it"}, false, texts.EmailMismatch, texts.EmailConfirm, ""},
		{"e-mail, the two differ, click", texts.SetEmail, "set-email", []string{"mario@esempio.it", "maria@esempio.it"}, true, texts.EmailMismatch, texts.EmailConfirm, ""},
		{"password, wrong current, Enter", texts.ChangePassword, "change-password", []string{"Wrong!pass9", newPassword, newPassword}, false, texts.ErrWrongLogin, texts.CurrentPassword, ""},
		{"password, wrong current, click", texts.ChangePassword, "change-password", []string{"Wrong!pass9", newPassword, newPassword}, true, texts.ErrWrongLogin, texts.CurrentPassword, ""},
		{"password, the two differ, Enter", texts.ChangePassword, "change-password", []string{testPassword, newPassword, "x" + newPassword}, false, texts.PasswordMismatch, texts.NewPassword, ""},
		{"password, refused, click", texts.ChangePassword, "change-password", []string{testPassword, "password1", "password1"}, true, texts.PasswordRefused, texts.NewPassword, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true})
			h.toAccount()
			h.clickText(h.tr(tc.open))
			h.waitScreen(tc.screen)
			h.fill(tc.values...)
			if tc.click {
				h.clickButton(h.tr(texts.Ok))
			} else {
				h.key(tcell.KeyEnter)
			}
			h.waitText(h.tr(tc.want))
			h.waitScreen(tc.screen)
			h.waitFocus(h.tr(tc.focus))
			if got := h.focusedText(); got != tc.kept {
				t.Errorf("the field in error holds %q, want %q", got, tc.kept)
			}
			h.typeText("Z")
			h.waitFor(func(string) bool { return h.focusedText() == tc.kept+"Z" }, "typing into the field in error")
		})
	}
}

// TestNewMessageReplacesTheOld (#11.9): the refusal of two equal questions
// is gone once the questions are saved.
func TestNewMessageReplacesTheOld(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "it"})
	h.toAccount()
	h.clickText(h.tr(texts.SetQuestions))
	h.waitScreen("set-questions")
	cat := recovery.QuestionCatalogue()
	// The second question made the same as the first, with the keys.
	h.key(tcell.KeyTab) // answer 1
	h.typeText("Fido")
	h.key(tcell.KeyTab) // question 2
	h.key(tcell.KeyUp)  // opens its list one up: the first question
	h.key(tcell.KeyEnter)
	h.key(tcell.KeyTab) // answer 2
	h.typeText("Panda")
	h.key(tcell.KeyTab) // question 3
	h.key(tcell.KeyTab) // answer 3
	h.typeText("Milano")
	h.clickButton(h.tr(texts.Ok))
	h.waitText(h.m.tr.F(texts.ErrQuestionPick, 2))
	h.waitFocus(h.m.tr.F(texts.QuestionN, 2))
	// Corrected with the keys: one down is the second question again.
	h.key(tcell.KeyDown)
	h.key(tcell.KeyEnter)
	h.waitText(h.m.tr.Question(string(cat[1])))
	h.clickButton(h.tr(texts.Ok))
	s := h.waitText(h.tr(texts.QuestionsSaved))
	if strings.Contains(s, h.tr(texts.ErrQuestionChoice)) {
		t.Fatalf("the old refusal still stands beside the success:\n%s", s)
	}
}

// TestGUIDScreenWithoutStick (#11.10): with no stick the focus is visibly on
// the buttons, Tab and the arrows reach both, and Enter keeps "Nessuna
// chiavetta inserita"; with a file listed, Tab goes from the list to the
// buttons and back.
func TestGUIDScreenWithoutStick(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	ours := h.setupGUID(t.TempDir())
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodGUID))
	h.waitScreen("guid")
	h.waitText(h.tr(texts.NoStick))
	h.waitFocus(h.tr(texts.Import))
	h.checkFocusVisible("guid, no stick")
	h.key(tcell.KeyEnter)
	s := h.waitText(h.tr(texts.NoStick))
	if strings.Contains(s, h.tr(texts.GUIDPickFile)) {
		t.Fatalf("Enter with no stick asks to select a file:\n%s", s)
	}
	h.key(tcell.KeyTab)
	h.waitFocus(h.tr(texts.Back))
	h.key(tcell.KeyBacktab)
	h.waitFocus(h.tr(texts.Import))
	h.key(tcell.KeyRight) // the arrows move between buttons too
	h.waitFocus(h.tr(texts.Back))

	// A stick with our file: clicked, the list has the focus; Tab leaves it
	// for the buttons, Backtab comes back.
	stick := h.plug("ONE")
	data, _ := os.ReadFile(ours)
	os.WriteFile(filepath.Join(stick, filepath.Base(ours)), data, 0o644)
	h.clickText(filepath.Base(ours))
	h.waitFocus("list")
	h.checkFocusVisible("guid, a file")
	h.key(tcell.KeyTab)
	h.waitFocus(h.tr(texts.Import))
	h.checkFocusVisible("guid, on Importa")
	h.key(tcell.KeyTab)
	h.waitFocus(h.tr(texts.Back))
	h.key(tcell.KeyTab)
	h.waitFocus("list")
	h.key(tcell.KeyBacktab)
	h.waitFocus(h.tr(texts.Back))
	h.key(tcell.KeyEnter)
	h.waitScreen("forgot")
}

// checkFocusVisible checks that a cell on screen shows the focus style.
func (h *harness) checkFocusVisible(name string) {
	h.t.Helper()
	ok := h.onUI(func() bool {
		cells, _, _ := h.sim.GetContents()
		for _, c := range cells {
			for _, r := range []role{roleFocus, roleFieldFocus} {
				if c.Style == h.m.displayStyle(r) {
					return true
				}
			}
		}
		return false
	})
	if !ok {
		h.t.Errorf("%s: no cell shows the focus:\n%s", name, h.screen())
	}
}

// TestStickChooserNeverJumps (#11.11): when the stick chosen is pulled, the
// chooser says so and asks again, from "Annulla": Enter (or a click there)
// then writes to no other stick.
func TestStickChooserNeverJumps(t *testing.T) {
	for _, byClick := range []bool{false, true} {
		t.Run(fmt.Sprintf("click-%v", byClick), func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true})
			h.plug("ALFA")
			h.plug("BETA")
			h.toAccount()
			h.clickText(h.tr(texts.SetGUID))
			h.waitScreen("guid-export")
			h.clickButton(h.tr(texts.Export))
			h.waitFor(func(string) bool { return h.onUI(func() bool { _, _, _, _, ok := h.picker(); return ok }) }, "the chooser")
			h.waitText("ALFA", "BETA")
			selected := func() string {
				return onUI(h, func() string {
					l, ok := h.focusedList()
					if !ok {
						return "(no list)"
					}
					main, _ := l.GetItemText(l.GetCurrentItem())
					return main
				})
			}
			h.key(tcell.KeyDown)
			h.waitFor(func(string) bool { return selected() == "BETA" }, "BETA selected")
			h.unplug("BETA")
			h.waitText(h.m.tr.F(texts.StickRemoved, "BETA"))
			if got := selected(); got != h.tr(texts.Cancel) {
				t.Fatalf("after BETA was pulled the selection is on %q, want %q", got, h.tr(texts.Cancel))
			}
			if byClick {
				h.pickStick(h.tr(texts.Cancel)) // a click on "Annulla"
			} else {
				h.key(tcell.KeyEnter)
			}
			h.waitFor(func(string) bool { return h.onUI(func() bool { return !h.m.pages.HasPage(pageDialog) }) }, "the chooser closed")
			h.waitScreen("guid-export")
			if files, _ := filepath.Glob(filepath.Join(h.media, "ALFA", "*")); len(files) > 0 {
				t.Fatalf("written to ALFA: %v", files)
			}
		})
	}
}

// TestEscClosesOnlyTheDropDown (#11.12): Esc on an open drop-down closes
// it, and the answers typed stay; a second Esc leaves the form.
func TestEscClosesOnlyTheDropDown(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	h.toAccount()
	h.clickText(h.tr(texts.SetQuestions))
	h.waitScreen("set-questions")
	h.key(tcell.KeyTab)
	h.typeText("Fido")
	cat := recovery.QuestionCatalogue()
	h.clickText(h.m.tr.Question(string(cat[1]))) // opens the second drop-down
	h.waitFor(func(string) bool {
		return h.onUI(func() bool { _, open := h.m.app.GetFocus().(*tview.List); return open })
	}, "drop-down open")
	h.key(tcell.KeyEscape)
	h.waitFocus(h.m.tr.F(texts.QuestionN, 2))
	h.waitScreen("set-questions")
	h.waitText("****") // Fido, hidden
	if got := onUI(h, func() string { return h.fields()[0].GetText() }); got != "Fido" {
		t.Fatalf("the first answer holds %q, want Fido", got)
	}
	h.key(tcell.KeyEscape)
	h.waitScreen("account")
}

// TestQuestionsSetUpShowsTheChoice (#11.13): reopening the set-up shows the
// questions chosen before, and no answer.
func TestQuestionsSetUpShowsTheChoice(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	cat := recovery.QuestionCatalogue()
	chosen := [3]recovery.QuestionID{cat[7], cat[2], cat[11]}
	s, err := h.core.Login(recovery.AdminUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurityQuestions([3]recovery.QuestionAnswer{{ID: chosen[0], Answer: "uno"}, {ID: chosen[1], Answer: "due"}, {ID: chosen[2], Answer: "tre"}}); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	h.toAccount()
	h.clickText(h.tr(texts.SetQuestions))
	h.waitScreen("set-questions")
	got := onUI(h, func() [3]string {
		var out [3]string
		for i, dd := range h.dropDowns() {
			_, out[i] = dd.GetCurrentOption()
		}
		return out
	})
	for i, id := range chosen {
		if got[i] != h.m.tr.Question(string(id)) {
			t.Errorf("question %d shows %q, want %q", i+1, got[i], h.m.tr.Question(string(id)))
		}
	}
	answers := onUI(h, func() []string {
		var out []string
		var walk func(p tview.Primitive)
		walk = func(p tview.Primitive) {
			if f, ok := p.(*form); ok {
				for i := 0; i < f.GetFormItemCount(); i++ {
					if a, ok := f.GetFormItem(i).(*field); ok {
						out = append(out, a.GetText())
					}
				}
			}
			for _, c := range children(p) {
				walk(c)
			}
		}
		walk(h.m.root)
		return out
	})
	if strings.Join(answers, "") != "" || len(answers) != 3 {
		t.Errorf("answer fields hold %q, want three empty ones", answers)
	}
}

// dropDowns lists the drop-downs of the screen, top to bottom. On the UI
// goroutine.
func (h *harness) dropDowns() []*dropDown {
	var out []*dropDown
	var walk func(p tview.Primitive)
	walk = func(p tview.Primitive) {
		if f, ok := p.(*form); ok {
			for i := 0; i < f.GetFormItemCount(); i++ {
				if dd, ok := f.GetFormItem(i).(*dropDown); ok {
					out = append(out, dd)
				}
			}
		}
		for _, c := range children(p) {
			walk(c)
		}
	}
	walk(h.m.root)
	return out
}

// TestListsKeepTheirSelection (#11.14): back from a sub-step, a list has the
// item chosen still selected: the account screen, the recovery set-up, the
// methods of Password Dimenticata.
func TestListsKeepTheirSelection(t *testing.T) {
	current := func(h *harness) string {
		return onUI(h, func() string {
			l, ok := h.focusedList()
			if !ok {
				return "(no list)"
			}
			main, _ := l.GetItemText(l.GetCurrentItem())
			return main
		})
	}
	t.Run("account, by keys", func(t *testing.T) {
		h := newHarness(t, harnessOptions{activated: true})
		h.toAccount()
		h.key(tcell.KeyDown)
		h.key(tcell.KeyDown) // Domande di sicurezza, the third
		h.key(tcell.KeyEnter)
		h.waitScreen("set-questions")
		h.key(tcell.KeyEscape)
		h.waitScreen("account")
		if got := current(h); got != h.tr(texts.SetQuestions) {
			t.Fatalf("back on the account screen %q is selected, want %q", got, h.tr(texts.SetQuestions))
		}
	})
	t.Run("setup, by clicks", func(t *testing.T) {
		h := newHarness(t, harnessOptions{})
		h.activate(testPassword)
		h.clickText(h.tr(texts.SetQuestions))
		h.waitScreen("set-questions")
		h.clickButton(h.tr(texts.Cancel))
		h.waitScreen("setup")
		if got := current(h); got != h.tr(texts.SetQuestions) {
			t.Fatalf("back on the set-up %q is selected, want %q", got, h.tr(texts.SetQuestions))
		}
	})
	t.Run("forgot, by clicks", func(t *testing.T) {
		h := newHarness(t, harnessOptions{activated: true})
		h.setupGUID(t.TempDir())
		h.setEmail("owner@example.org")
		h.waitScreen("login")
		h.clickButton(h.tr(texts.ForgotPassword))
		h.clickText(h.tr(texts.MethodGUID))
		h.waitScreen("guid")
		h.clickButton(h.tr(texts.Back))
		h.waitScreen("forgot")
		if got := current(h); !strings.Contains(got, h.tr(texts.MethodGUID)) {
			t.Fatalf("back on Password Dimenticata %q is selected, want the GUID method", got)
		}
		// From the login screen it starts afresh, on the first usable.
		h.key(tcell.KeyEscape)
		h.waitScreen("login")
		h.clickButton(h.tr(texts.ForgotPassword))
		h.waitScreen("forgot")
		if got := current(h); !strings.Contains(got, h.tr(texts.MethodEmail)) {
			t.Fatalf("from the login screen %q is selected, want the first method", got)
		}
	})
}

// TestScreenTooSmall (#11.15): below 80x25 one sentence says so, nothing
// typed or clicked acts; growing the screen brings the menu back as it was.
func TestScreenTooSmall(t *testing.T) {
	for _, size := range [][2]int{{79, 25}, {80, 24}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true})
			h.waitScreen("login")
			h.typeText("ab")
			h.waitFor(func(string) bool { return h.focusedText() == "ab" }, "typed")
			h.resize(size[0], size[1])
			s := h.waitText(h.m.tr.F(texts.ScreenTooSmall, size[0], size[1]))
			if strings.Contains(s, h.tr(texts.ForgotPassword)) {
				t.Fatalf("the cut-off layout is still drawn:\n%s", s)
			}
			h.click(size[0]/2, size[1]/2)
			for _, k := range []tcell.Key{tcell.KeyBackspace2, tcell.KeyEnter, tcell.KeyF2} {
				h.key(k)
			}
			// Keys come in order, after the click: once the three are
			// dropped, all of the input has been handled.
			h.waitFor(func(string) bool { return onUI(h, func() int { return h.m.droppedKeys }) >= 3 }, "the keys dropped")
			// Grown again: the same screen, nothing of the input acted on.
			h.resize(80, 25)
			h.waitText(h.tr(texts.ForgotPassword))
			h.waitScreen("login")
			if got := h.focusedText(); got != "ab" {
				t.Fatalf("the password field holds %q after input on the too-small screen, want %q", got, "ab")
			}
		})
	}
}

// TestReservedEmailTypedTwice (#11.16): the address typed twice, each
// refusal naming its part, the address shown whole once when saved and
// masked afterwards.
func TestReservedEmailTypedTwice(t *testing.T) {
	for _, lang := range texts.Languages {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true, lang: lang})
			h.toAccount()
			h.clickText(h.tr(texts.SetEmail))
			h.waitScreen("set-email")
			for _, tc := range []struct {
				addr string
				want texts.ID
			}{
				{"", texts.ErrEmailEmpty},
				{"mario rossi@esempio.it", texts.ErrEmailLocal},
				{"mario.rossi@esempio", texts.ErrEmailDomain},
				{"mario.rossi@gmail.c", texts.ErrEmailTLD},
			} {
				h.sim.InjectKey(tcell.KeyCtrlU, 0, tcell.ModCtrl)
				h.typeText(tc.addr)
				h.key(tcell.KeyTab)
				h.sim.InjectKey(tcell.KeyCtrlU, 0, tcell.ModCtrl)
				h.typeText(tc.addr)
				h.key(tcell.KeyEnter)
				s := h.waitText(h.tr(tc.want))
				for _, other := range []texts.ID{texts.ErrEmailEmpty, texts.ErrEmailLocal, texts.ErrEmailDomain, texts.ErrEmailTLD} {
					if other != tc.want && onScreen(s, h.tr(other)) {
						t.Errorf("%q: %q shown too", tc.addr, h.tr(other))
					}
				}
				h.waitFocus(h.tr(texts.EmailAddress))
			}
			h.sim.InjectKey(tcell.KeyCtrlU, 0, tcell.ModCtrl)
			h.typeText("mario.rossi@gmail.com")
			h.key(tcell.KeyTab)
			h.sim.InjectKey(tcell.KeyCtrlU, 0, tcell.ModCtrl)
			h.typeText("mario.rossi@gmail.com")
			h.clickButton(h.tr(texts.Ok))
			// Whole, once.
			h.waitText(h.m.tr.F(texts.EmailSaved, "mario.rossi@gmail.com"))
			h.clickButton(h.tr(texts.Ok))
			h.waitScreen("account")
			masked := mailaddr.Mask("mario.rossi@gmail.com")
			s := h.waitText(masked)
			if strings.Contains(s, "mario.rossi@") {
				t.Fatalf("the address is shown whole again:\n%s", s)
			}
			h.clickText(h.tr(texts.SetEmail))
			h.waitScreen("set-email")
			s = h.waitText(h.m.tr.F(texts.EmailCurrent, masked))
			if strings.Contains(s, "mario.rossi@") {
				t.Fatalf("the address is shown whole again:\n%s", s)
			}
		})
	}
}

// TestPartialListingShown (#11.6): a stick whose listing stops at the cap
// still shows the GUID file found at its root, with the problem on a line
// under it.
func TestPartialListingShown(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, maxEntries: 50})
	ours := h.setupGUID(t.TempDir())
	data, _ := os.ReadFile(ours)
	stick := h.plug("CROWDED")
	if err := os.WriteFile(filepath.Join(stick, filepath.Base(ours)), data, 0o644); err != nil {
		t.Fatal(err)
	}
	dcim := filepath.Join(stick, "DCIM")
	os.Mkdir(dcim, 0o755)
	for i := range 200 {
		os.WriteFile(filepath.Join(dcim, fmt.Sprintf("IMG_%04d.JPG", i)), nil, 0o644)
	}
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodGUID))
	h.waitScreen("guid")
	partial := h.m.tr.F(texts.StickPartial, "CROWDED", h.tr(texts.ErrTooManyEntries))
	s := h.waitText(filepath.Base(ours), partial)
	if strings.Index(s, filepath.Base(ours)) > strings.Index(s, strings.Fields(partial)[0]) {
		t.Fatalf("the problem is not under the file found:\n%s", s)
	}
	// It imports.
	h.clickText(filepath.Base(ours))
	h.clickButton(h.tr(texts.Import))
	h.waitScreen("new-password")
}

// TestResizeRedraws (#10.3): a resize event (a monitor with another mode
// plugged in, a terminal resized) redraws everything at the new size: the
// title bar and the footer reach the new edges, a screen too small for the
// menu gives way to it, and App Scan QR's code (in our font's octants)
// scans at every size.
func TestResizeRedraws(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, w: 80, h: 20, display: Display{Console: true, HasGlyph: vtcon.FontHas}})
	h.setEmail("owner@example.org")
	h.waitText(h.tr(texts.ScreenTooSmall)[:20])
	h.resize(80, 25)
	h.openEmail()
	h.clickButton(h.tr(texts.AppScanQR))
	h.waitScreen("email-qr")
	for _, size := range [][2]int{{120, 33}, {160, 45}, {100, 37}} {
		h.sim.SetSize(size[0], size[1])
		h.sim.PostEvent(tcell.NewEventResize(size[0], size[1]))
		title := []rune(h.tr(texts.AppScanQR))
		h.waitFor(func(s string) bool {
			rows := strings.Split(s, "\n")
			return len(rows) > size[1]-1 && len([]rune(rows[0])) == size[0] && []rune(rows[0])[size[0]-2] == title[len(title)-1] &&
				strings.HasPrefix(rows[size[1]-1], "  "+h.tr(texts.KeyTab)) && !strings.Contains(s, h.tr(texts.QRTooSmall))
		}, fmt.Sprintf("the title bar, the footer and the code at %dx%d", size[0], size[1]))
		c, _ := h.core.EmailChallenge()
		if got := scanQR(t, h.screenQR()); got != c.Payload {
			t.Fatalf("at %dx%d the code reads %q", size[0], size[1], got)
		}
	}
}

// TestDemoHelpOnScreen (#11.18): the demo's hints are a line on every
// screen's bottom border, opened by F1 or a click there; without them
// (a recorder) there is no such line.
func TestDemoHelpOnScreen(t *testing.T) {
	const help = "nvr-menud demo device in /tmp/demo\n  plug a stick:     mkdir /tmp/demo/media/STICK"
	h := newHarness(t, harnessOptions{activated: true, demoHelp: help})
	h.waitScreen("login")
	s := h.waitText(h.tr(texts.DemoHelp))
	if rows := strings.Split(strings.TrimRight(s, "\n"), "\n"); !strings.Contains(rows[len(rows)-1], strings.TrimSpace(h.tr(texts.DemoHelp))) {
		t.Fatalf("the help line is not on the bottom border:\n%s", s)
	}
	h.key(tcell.KeyF1)
	h.waitText(h.tr(texts.DemoHelpTitle), "mkdir /tmp/demo/media/STICK")
	h.key(tcell.KeyEscape)
	h.waitFor(func(s string) bool { return !strings.Contains(s, "mkdir /tmp") }, "help closed")
	// Typing goes on where it was.
	h.typeText("x")
	h.waitFor(func(string) bool { return h.focusedText() == "x" }, "typing in the password field")
	// By a click on the line, on another screen.
	h.clickButton(h.tr(texts.ForgotPassword))
	h.waitScreen("forgot")
	h.clickText(strings.TrimSpace(h.tr(texts.DemoHelp)))
	h.waitText("mkdir /tmp/demo/media/STICK")
	h.clickButton(h.tr(texts.Ok))
	h.waitFor(func(s string) bool { return !strings.Contains(s, "mkdir /tmp") }, "help closed")
	h.waitScreen("forgot")

	plain := newHarness(t, harnessOptions{activated: true})
	plain.waitScreen("login")
	if s := plain.screen(); strings.Contains(s, strings.TrimSpace(plain.tr(texts.DemoHelp))) {
		t.Fatalf("a recorder shows the demo's help line:\n%s", s)
	}
}

// fields lists the screen's input fields, top to bottom. On the UI
// goroutine.
func (h *harness) fields() []*field {
	var out []*field
	var walk func(p tview.Primitive)
	walk = func(p tview.Primitive) {
		if f, ok := p.(*form); ok {
			for i := 0; i < f.GetFormItemCount(); i++ {
				switch it := f.GetFormItem(i).(type) {
				case *field:
					out = append(out, it)
				case *above:
					out = append(out, it.field)
				}
			}
		}
		for _, c := range children(p) {
			walk(c)
		}
	}
	_, front := h.m.pages.GetFrontPage()
	walk(front)
	return out
}

// demoHelpText is the demo's hints as nvr-menud writes them
// (cmd/nvr-menud demo.go): a first line, a hint a line after its label,
// some going on over the next lines.
const demoHelpText = `nvr-menud demo device in /tmp/nvr-demo
  plug a stick:       mkdir /tmp/nvr-demo/media/STICK   (remove the directory to pull it)
  vendor's service:   go run ./cmd/recovery-issuer serve -demo /tmp/nvr-demo
                      (scan the QR code, or mail the exported PNG to 127.0.0.1:2525;
                      the code lands in /tmp/nvr-demo/outbox/new)
  vendor by hand:     go run ./cmd/recovery-issuer issue -key /tmp/nvr-demo/vendor.key -png /tmp/nvr-demo/media/STICK/QR-*.png
  find it on the LAN: go run ./cmd/nvr-sadp list   (this machine's own probes are answered too)
  web page:           https://127.0.0.1:8443/   (self-signed: the browser warns; compare
                      the fingerprint with: go run ./cmd/nvr-menud -demo /tmp/nvr-demo -fingerprint)
  installer's API:    https://127.0.0.1:8443/api/v1/device   (docs/web.md)
  log:                /tmp/nvr-demo/nvr-menud.log
  start afresh:       rm -r /tmp/nvr-demo
  quit:               Ctrl-C; after a kill -9 the terminal stays raw: type reset
`

// TestDemoHelpLaidOut (#19.6): F1's help is laid out for the screen at
// every size: each hint whole, after its label, wrapped at spaces only
// (never mid-word, never a path cut), all of it on the screen with its Ok.
func TestDemoHelpLaidOut(t *testing.T) {
	_, hints := parseHelp(demoHelpText)
	if len(hints) != 9 {
		t.Fatalf("parsed %d hints, want 9: %q", len(hints), hints)
	}
	for _, size := range [][2]int{{80, 25}, {100, 37}, {120, 33}, {240, 67}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true, lang: "en", w: size[0], h: size[1], demoHelp: demoHelpText})
			h.waitScreen("login")
			h.key(tcell.KeyF1)
			h.waitText(h.tr(texts.DemoHelpTitle))
			s := h.waitText(hints[len(hints)-1].text)
			for _, hn := range hints {
				if !onScreen(s, hn.label) || !onScreen(s, hn.text) {
					t.Errorf("hint %q: %q not shown whole:\n%s", hn.label, hn.text, s)
				}
			}
			for _, path := range []string{"/tmp/nvr-demo/media/STICK/QR-*.png", "https://127.0.0.1:8443/api/v1/device", "-fingerprint)"} {
				if !strings.Contains(s, path) {
					t.Errorf("%q cut:\n%s", path, s)
				}
			}
			if _, _, ok := h.find(h.tr(texts.Ok), true); !ok {
				t.Errorf("the help's Ok is off the screen:\n%s", s)
			}
			h.snapshot(fmt.Sprintf("demo-help-%dx%d", size[0], size[1]))
		})
	}
}
