package menu

import (
	"context"

	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// pickStick asks which stick to write to, over the current screen, updating
// live as sticks come and go. pick runs with the chosen stick; Esc or
// "Annulla" closes the dialog. With no stick the dialog says so and waits
// for one. The selection follows the stick, never its row: when the
// selected stick is pulled the dialog says so and the selection goes to
// "Annulla", so that Enter never writes to another stick.
func (m *Menu) pickStick(pick func(usb.Stick)) {
	prevFocus := m.app.GetFocus()
	prevHook := m.onSticks
	list := m.list()
	list.SetTitle(m.tr.T(texts.PickStick)) // not drawn: the dialog has it
	list.SetMainTextStyle(roleDialog.style()).SetBackgroundColor(roleDialog.bg())
	note := m.note(roleDialog, "").onBackground(roleDialog)
	var shown []usb.Stick
	selected := "" // the ID of the stick selected, "" for none
	closeDialog := func() {
		m.pages.RemovePage(pageDialog)
		m.onSticks = prevHook
		if prevFocus != nil {
			m.app.SetFocus(prevFocus)
		}
	}
	var content *stack
	names := map[string]string{} // stick IDs to names, for "was removed"
	fill := func() {
		prev := selected
		list.clear()
		shown = nil
		current := -1
		for _, s := range m.sticks {
			if s.ID == prev {
				current = len(shown)
			}
			shown = append(shown, s)
			name := m.sub(stickName(s))
			if s.ReadOnly {
				name += "  " + m.tr.T(texts.StickReadOnly)
			}
			list.add(name, m.stickDetails(s), roleDialog, roleSecondary, nil)
		}
		if len(shown) == 0 {
			list.add(m.tr.T(texts.NoStick), "", roleDialog, roleDialog, nil)
		}
		list.add(m.tr.T(texts.Cancel), "", roleDialog, roleDialog, nil)
		switch {
		case current >= 0:
			list.SetCurrentItem(current)
		case prev != "":
			// The stick chosen is gone: ask again, from "Annulla".
			note.set(roleError, m.tr.F(texts.StickRemoved, names[prev]))
			selected = ""
			list.SetCurrentItem(list.GetItemCount() - 1)
		default:
			list.SetCurrentItem(0)
		}
		if i := list.GetCurrentItem(); i < len(shown) {
			selected = shown[i].ID
		}
		if content != nil {
			content.resize(list, 2*list.GetItemCount())
		}
	}
	list.SetChangedFunc(func(i int, _, _ string, _ rune) {
		selected = ""
		if i < len(shown) {
			selected = shown[i].ID
			names[selected] = stickName(shown[i])
		}
	})
	list.SetSelectedFunc(func(i int, _, _ string, _ rune) {
		if i >= len(shown) {
			if i == list.GetItemCount()-1 {
				closeDialog()
			}
			return
		}
		s := shown[i]
		if s.ReadOnly {
			note.set(roleError, m.errText(usb.ErrReadOnly))
			return
		}
		closeDialog()
		pick(s)
	})
	list.SetDoneFunc(closeDialog)
	for _, s := range m.sticks {
		names[s.ID] = stickName(s)
	}
	fill()
	content = m.rows().auto(note).fixed(list, 2*list.GetItemCount(), true)
	m.gen++
	m.onSticks = func() {
		if prevHook != nil {
			prevHook()
		}
		for _, s := range m.sticks {
			names[s.ID] = stickName(s)
		}
		fill()
	}
	m.pages.AddPage(pageDialog, m.dialogBox(m.tr.T(texts.PickStick), content, 60), true, true)
	m.app.SetFocus(list)
}

// showGUIDExport writes a fresh GUID file to a stick and makes it the
// device's GUID once it is safely there. done runs afterwards, whatever
// happened.
func (m *Menu) showGUIDExport(done func()) {
	intro := m.text(m.tr.T(texts.GUIDExportIntro))
	status := m.text("")
	export := func() {
		m.pickStick(func(s usb.Stick) {
			status.set(roleText, "") // not left under the busy sign
			m.withReauth(func(sess *recovery.Session) error { return m.exportGUID(sess, s) }, func(err error) {
				if err != nil {
					status.set(roleError, m.errText(err))
					return
				}
				m.alert(m.tr.F(texts.GUIDExported, stickName(s)), done)
			})
		})
	}
	form := m.buttonBar(done).
		AddButton(m.tr.T(texts.Export), export).
		AddButton(m.tr.T(texts.Back), done)
	body := m.rows().auto(intro).sized(form, true).auto(status)
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
