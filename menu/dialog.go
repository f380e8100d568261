package menu

import (
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/texts"
)

// dialogBox is a box over the screen, centred and as wide as its content
// asks, up to the screen's width: dialogs, the busy sign, the password
// prompt, the stick chooser. It is modal: a click outside it does nothing.
type dialogBox struct {
	*tview.Box
	content *stack
	width   int // the width it asks for, border included
}

func (m *Menu) dialogBox(title string, content *stack, width int) *dialogBox {
	d := &dialogBox{Box: tview.NewBox(), content: content, width: width}
	d.SetBorder(true).SetBorderStyle(roleDialogFrame.style()).SetBackgroundColor(roleDialog.bg())
	if title != "" {
		d.SetTitle(" " + m.sub(title) + " ").SetTitleColor(roleDialogFrame.fg())
	}
	d.SetBorderPadding(1, 1, 2, 2)
	return d
}

// Draw places the box in the middle of the screen, as high as its content
// at the width it gets, and draws it.
func (d *dialogBox) Draw(screen tcell.Screen) {
	sw, sh := screen.Size()
	w := min(sw-4, d.width)
	h := min(sh-2, d.content.heightFor(w-6)+4)
	d.SetRect((sw-w)/2, (sh-h)/2, w, h)
	d.Box.DrawForSubclass(screen, d)
	// Its shadow, a cell to the right and below, sets it off the screen
	// of the same blue.
	bx, by, _, _ := d.GetRect()
	shadow := roleShadow.style()
	for y := by + 1; y <= by+h && y < sh; y++ {
		if bx+w < sw {
			screen.SetContent(bx+w, y, ' ', nil, shadow)
		}
	}
	for x := bx + 1; x <= bx+w && x < sw && by+h < sh; x++ {
		screen.SetContent(x, by+h, ' ', nil, shadow)
	}
	x, y, iw, ih := d.GetInnerRect()
	d.content.SetRect(x, y, iw, ih)
	d.content.Draw(screen)
}

func (d *dialogBox) Focus(delegate func(tview.Primitive)) { delegate(d.content) }
func (d *dialogBox) HasFocus() bool                       { return d.content.HasFocus() }

func (d *dialogBox) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	return d.WrapInputHandler(func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		if h := d.content.InputHandler(); h != nil && d.content.HasFocus() {
			h(ev, setFocus)
		}
	})
}

func (d *dialogBox) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return d.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if !d.InRect(ev.Position()) {
			return true, nil // modal: nothing under it is clicked
		}
		if h := d.content.MouseHandler(); h != nil {
			if consumed, capture := h(action, ev, setFocus); consumed {
				return true, capture
			}
		}
		return true, nil
	})
}

// dialogWidth is the width a dialog asks for: its longest paragraph on one
// line if that is not too wide, and at least its buttons.
func dialogWidth(text string, buttons int) int {
	longest := 0
	for _, l := range wrap(text, 1<<20) {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	return max(min(longest+6, 76), buttons+6, 40)
}

// dialogButtons makes a dialog's row of buttons, centred; Esc runs cancel.
func (m *Menu) dialogButtons(cancel func()) *form {
	f := m.form(cancel)
	f.SetButtonsAlign(tview.AlignCenter)
	f.SetButtonStyle(roleDialogButton.style())
	f.SetBackgroundColor(roleDialog.bg())
	f.bg, f.button = roleDialog, roleDialogButton
	return f
}

// dialog shows a message with buttons over the screen. done gets the chosen
// button's index, or -1 for Esc; the dialog is gone by then.
func (m *Menu) dialog(text string, buttons []texts.ID, done func(int)) {
	m.dialogPage(pageDialog, "", text, buttons, done)
}

// dialogPage shows a dialog on the named page, titled title if not "".
func (m *Menu) dialogPage(page, title, text string, buttons []texts.ID, done func(int)) {
	msg := m.note(roleDialog, text).onBackground(roleDialog)
	m.messageDialog(page, title, msg, 0, buttons, done)
}

// messageDialog shows msg with buttons on the named page, as wide as width
// asks (0: as its text asks) up to the screen's width.
func (m *Menu) messageDialog(page, title string, msg *message, width int, buttons []texts.ID, done func(int)) {
	m.gen++
	prev := m.app.GetFocus()
	finish := func(i int) {
		m.pages.RemovePage(page)
		if prev != nil {
			m.app.SetFocus(prev)
		}
		if done != nil {
			done(i)
		}
	}
	form := m.dialogButtons(func() { finish(-1) })
	bw := 0
	for i, b := range buttons {
		label := m.tr.T(b)
		bw += utf8.RuneCountInString(label) + 5
		form.AddButton(label, func() { finish(i) })
	}
	content := m.rows().auto(msg).sized(form, true)
	if w := dialogWidth(msg.String(), bw); width < w {
		width = w
	}
	m.pages.AddPage(page, m.dialogBox(title, content, width), true, true)
	m.app.SetFocus(form)
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
	msg := m.note(roleDialog, m.tr.T(texts.Working)).onBackground(roleDialog)
	msg.align = tview.AlignCenter
	box := m.dialogBox("", m.rows().auto(msg), utf8.RuneCountInString(msg.String())+8)
	m.pages.AddPage(pageBusy, box, true, false)
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

// onDialog gives a form a dialog's look.
func onDialog(f *form) *form {
	f.bg, f.button = roleDialog, roleDialogButton
	f.SetBackgroundColor(roleDialog.bg())
	f.SetLabelColor(roleHeading.fg())
	f.SetButtonStyle(roleDialogButton.style())
	return f
}
