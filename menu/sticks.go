package menu

import (
	"context"

	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// pickStick asks which stick to write to, over the current screen, updating
// live as sticks come and go. pick runs with the chosen stick; Esc or
// "Annulla" closes the dialog. With no stick the dialog says so and waits
// for one.
func (m *Menu) pickStick(pick func(usb.Stick)) {
	prevFocus := m.app.GetFocus()
	prevHook := m.onSticks
	list := m.list()
	list.SetBorder(true).SetTitle(" " + m.tr.T(texts.PickStick) + " ")
	var shown []usb.Stick
	closeDialog := func() {
		m.pages.RemovePage(pageDialog)
		m.onSticks = prevHook
		if prevFocus != nil {
			m.app.SetFocus(prevFocus)
		}
	}
	fill := func() {
		list.Clear()
		shown = nil
		for _, s := range m.sticks {
			shown = append(shown, s)
			name := stickName(s)
			if s.ReadOnly {
				name += "  " + m.tr.T(texts.StickReadOnly)
			}
			list.AddItem(name, "", 0, nil)
		}
		if len(shown) == 0 {
			list.AddItem(m.tr.T(texts.NoStick), "", 0, nil)
		}
		list.AddItem(m.tr.T(texts.Cancel), "", 0, nil)
	}
	list.SetSelectedFunc(func(i int, _, _ string, _ rune) {
		if i >= len(shown) {
			if i == list.GetItemCount()-1 {
				closeDialog()
			}
			return
		}
		s := shown[i]
		if s.ReadOnly {
			list.SetTitle(" " + m.errText(usb.ErrReadOnly) + " ")
			return
		}
		closeDialog()
		pick(s)
	})
	list.SetDoneFunc(closeDialog)
	fill()
	m.gen++
	m.onSticks = func() {
		if prevHook != nil {
			prevHook()
		}
		fill()
	}
	m.pages.AddPage(pageDialog, centred(list, 50, 10), true, true)
	m.app.SetFocus(list)
}

// showGUIDExport writes a fresh GUID file to a stick and makes it the
// device's GUID once it is safely there. done runs afterwards, whatever
// happened.
func (m *Menu) showGUIDExport(done func()) {
	status := m.text(m.tr.T(texts.GUIDExportIntro))
	export := func() {
		m.pickStick(func(s usb.Stick) {
			m.withReauth(func(sess *recovery.Session) error { return m.exportGUID(sess, s) }, func(err error) {
				if err != nil {
					status.SetText(m.errText(err)).SetTextColor(colourError)
					return
				}
				m.alert(m.tr.F(texts.GUIDExported, stickName(s)), done)
			})
		})
	}
	form := m.buttonBar(done).
		AddButton(m.tr.T(texts.Export), export).
		AddButton(m.tr.T(texts.Back), done)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(status, 0, 1, false).
		AddItem(form, 1, 0, true)
	m.show("guid-export", m.frame(texts.TitleGUIDExport, body), form)
}

// exportGUID makes a GUID, writes its file to s and confirms it: the old GUID
// stays valid until the new file is on the stick. It runs off the UI
// goroutine.
func (m *Menu) exportGUID(sess *recovery.Session, s usb.Stick) error {
	e, err := sess.NewGUIDExport()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(m.ctx, writeTimeout)
	defer cancel()
	if err := m.opts.Sticks.Write(ctx, s.ID, e.FileName, e.Data()); err != nil {
		return err
	}
	if err := sess.ConfirmGUIDExport(e); err != nil {
		return err
	}
	m.log.Info("guid exported", "stick", s.Name, "file", e.FileName)
	return nil
}
