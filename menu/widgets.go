package menu

import (
	"strings"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/menu/internal/softkbd"
	"nvrmenu/texts"
)

// screenWidth is the widest a screen's content gets, so that forms stay
// readable on a 240-column monitor; at 80 columns the border takes 2.
const screenWidth = 76

// frame puts body in a bordered, titled box filling the screen, body centred
// and at most screenWidth wide.
func (m *Menu) frame(title texts.ID, body tview.Primitive) *tview.Flex {
	inner := tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(body, screenWidth, 0, true).
		AddItem(nil, 0, 1, false)
	outer := tview.NewFlex().SetDirection(tview.FlexRow).AddItem(inner, 0, 1, true)
	outer.SetBorder(true).SetTitle(" " + m.tr.T(title) + " ")
	return outer
}

// text makes a wrapped, static paragraph. Its content is never parsed for
// style tags, so stick names and addresses are shown as they are.
func (m *Menu) text(s string) *tview.TextView {
	tv := tview.NewTextView().SetWrap(true).SetWordWrap(true).SetText(s)
	tv.SetDynamicColors(false)
	return tv
}

// form makes a form with the menu's look; Esc runs cancel.
func (m *Menu) form(cancel func()) *tview.Form {
	f := tview.NewForm()
	f.SetItemPadding(0).SetBorderPadding(0, 0, 0, 0)
	f.SetButtonStyle(buttonStyle).SetButtonActivatedStyle(buttonFocusedStyle)
	f.SetFieldBackgroundColor(colourField).SetFieldTextColor(colourText)
	f.SetLabelColor(colourTitle)
	if cancel != nil {
		f.SetCancelFunc(cancel)
	}
	return f
}

// buttonBar makes a row of buttons (a horizontal form: a vertical one puts
// an empty line above its buttons); Esc runs cancel.
func (m *Menu) buttonBar(cancel func()) *tview.Form {
	return m.form(cancel).SetHorizontal(true)
}

// field is an input field that opens the on-screen keyboard when clicked
// (or on F2), for an owner with only a mouse.
type field struct {
	*tview.InputField
	m      *Menu
	label  string
	masked bool
	maxLen int
}

// newField makes a field labelled label; masked fields show '*'.
func (m *Menu) newField(label string, width, maxLen int, masked bool) *field {
	f := &field{InputField: tview.NewInputField(), m: m, label: label, masked: masked, maxLen: maxLen}
	f.SetLabel(label + " ").SetFieldWidth(width)
	if masked {
		f.SetMaskCharacter('*')
	}
	if maxLen > 0 {
		f.SetAcceptanceFunc(func(text string, _ rune) bool { return utf8.RuneCountInString(text) <= maxLen })
	}
	return f
}

// MouseHandler opens the keyboard on a click in the field.
func (f *field) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	inner := f.InputField.MouseHandler()
	return func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		if action == tview.MouseLeftClick && f.InRect(event.Position()) {
			setFocus(f)
			f.m.openKeyboard(f)
			return true, nil
		}
		consumed, capture := inner(action, event, setFocus)
		if capture != nil {
			// The text area inside captures the events that follow a
			// press; keep them (the click) coming through this wrapper.
			capture = f
		}
		return consumed, capture
	}
}

// InputHandler adds F2, "open the on-screen keyboard".
func (f *field) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	inner := f.InputField.InputHandler()
	return func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
		if event.Key() == tcell.KeyF2 {
			f.m.openKeyboard(f)
			return
		}
		inner(event, setFocus)
	}
}

// openKeyboard shows the on-screen keyboard over the screen, editing f.
func (m *Menu) openKeyboard(f *field) {
	labels := softkbd.Labels{
		Ok:        m.tr.T(texts.Ok),
		Cancel:    m.tr.T(texts.Cancel),
		Backspace: m.tr.T(texts.KeyBackspace),
		Shift:     m.tr.T(texts.KeyShift),
		Symbols:   m.tr.T(texts.KeySymbols),
		Letters:   m.tr.T(texts.KeyLetters),
		Space:     m.tr.T(texts.KeySpace),
	}
	var kb *softkbd.Keyboard
	kb = softkbd.New(f.label, f.GetText(), f.masked, f.maxLen, labels, func(text string, ok bool) {
		m.pages.RemovePage(pageKeyboard)
		if ok {
			f.SetText(text)
		}
		m.app.SetFocus(f)
	})
	m.gen++
	w, h := kb.Size()
	m.pages.AddPage(pageKeyboard, centred(kb, w, h), true, true)
	m.app.SetFocus(kb)
}

// centred places p, w by h cells, in the middle of the screen.
func centred(p tview.Primitive, w, h int) tview.Primitive {
	return tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 0, 1, false).
			AddItem(p, h, 0, true).
			AddItem(nil, 0, 1, false), w, 0, true).
		AddItem(nil, 0, 1, false)
}

// dialog shows a message with buttons over the screen. done gets the chosen
// button's index, or -1 for Esc; the dialog is gone by then.
func (m *Menu) dialog(text string, buttons []texts.ID, done func(int)) {
	labels := make([]string, len(buttons))
	for i, b := range buttons {
		labels[i] = m.tr.T(b)
	}
	m.gen++
	prev := m.app.GetFocus()
	d := tview.NewModal().SetText(tview.Escape(text)).AddButtons(labels)
	d.SetTextColor(colourDialogText).SetBackgroundColor(colourDialog)
	d.SetButtonStyle(buttonStyle).SetButtonActivatedStyle(buttonFocusedStyle)
	d.SetDoneFunc(func(i int, _ string) {
		m.pages.RemovePage(pageDialog)
		if prev != nil {
			m.app.SetFocus(prev)
		}
		if done != nil {
			done(i)
		}
	})
	m.pages.AddPage(pageDialog, d, true, true)
	m.app.SetFocus(d)
}

// alert shows text with an Ok button, then runs then (if not nil).
func (m *Menu) alert(text string, then func()) {
	m.dialog(text, []texts.ID{texts.Ok}, func(int) {
		if then != nil {
			then()
		}
	})
}

// showBusy covers the screen with "Verifica in corso…" until hideBusy.
// Keys and clicks are dropped meanwhile (see New), so nothing is pressed
// twice; focus stays where it was.
func (m *Menu) showBusy() {
	m.busy++
	if m.busy > 1 {
		return
	}
	tv := tview.NewTextView().SetTextAlign(tview.AlignCenter).SetText(m.tr.T(texts.Working))
	tv.SetBorder(true).SetBackgroundColor(colourDialog)
	tv.SetTextColor(colourDialogText).SetBorderColor(colourDialogText)
	w := utf8.RuneCountInString(m.tr.T(texts.Working)) + 6
	m.pages.AddPage(pageBusy, centred(tv, w, 3), true, false)
	m.pages.ShowPage(pageBusy)
}

// hideBusy removes the overlay once every do has finished.
func (m *Menu) hideBusy() {
	if m.busy == 0 {
		return
	}
	m.busy--
	if m.busy == 0 {
		m.pages.RemovePage(pageBusy)
	}
}

// meter shows a password's strength and the reasons it is refused, updated
// as the owner types.
type meter struct {
	*tview.TextView
	m *Menu
}

func (m *Menu) newMeter() *meter {
	tv := tview.NewTextView().SetWrap(true).SetWordWrap(true)
	tv.SetDynamicColors(false)
	mt := &meter{TextView: tv, m: m}
	mt.update("")
	return mt
}

// update rates pw. Status and PasswordStrength never block, so this runs on
// the UI goroutine.
func (mt *meter) update(pw string) {
	if pw == "" {
		mt.SetText(mt.m.tr.T(texts.StrengthEmpty))
		mt.SetTextColor(colourText)
		return
	}
	s, reasons := mt.m.core.PasswordStrength(pw)
	if int(s) < 0 || int(s) >= len(strengthColours) {
		s = pwpolicy.StrengthRisky
	}
	bar := strings.Repeat("█", 3*(int(s)+1)) + strings.Repeat("░", 3*(3-int(s)))
	var b strings.Builder
	b.WriteString(mt.m.tr.T(texts.Strength) + " " + bar + " " + mt.m.tr.Strength(s))
	if len(reasons) > 0 {
		b.WriteString("\n" + mt.m.tr.Reasons(reasons))
	}
	mt.SetText(b.String())
	mt.SetTextColor(strengthColours[s])
}

// doneOnEnter makes an input field's done handler that runs f on Enter
// (Tab and the arrows keep moving between fields).
func doneOnEnter(f func()) func(tcell.Key) {
	return func(k tcell.Key) {
		if k == tcell.KeyEnter {
			f()
		}
	}
}

// chainForms makes Tab leave a form from its last element for the next
// form's first, and Backtab leave it from its first for the previous form's
// last (a tview form keeps Tab to itself), so the keyboard reaches every
// form of a screen.
func (m *Menu) chainForms(forms ...*tview.Form) {
	n := len(forms)
	count := func(f *tview.Form) int { return f.GetFormItemCount() + f.GetButtonCount() }
	current := func(f *tview.Form) int {
		item, button := f.GetFocusedItemIndex()
		if item >= 0 {
			return item
		}
		if button >= 0 {
			return f.GetFormItemCount() + button
		}
		return -1
	}
	for i, f := range forms {
		next, prev := forms[(i+1)%n], forms[(i+n-1)%n]
		f.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
			switch ev.Key() {
			case tcell.KeyTab:
				if current(f) == count(f)-1 {
					next.SetFocus(0)
					m.app.SetFocus(next)
					return nil
				}
			case tcell.KeyBacktab:
				if current(f) == 0 {
					prev.SetFocus(count(prev) - 1)
					m.app.SetFocus(prev)
					return nil
				}
			}
			return ev
		})
	}
}
