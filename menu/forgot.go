package menu

import (
	"github.com/rivo/tview"

	"nvrmenu/recovery"
)

// showForgot is "Password Dimenticata": the three methods, each usable or
// shown disabled with the reason.
func (m *Menu) showForgot() {
	st := m.core.Status()
	list := m.list().SetUseStyleTags(true, false)
	type entry struct {
		method recovery.Method
		label  msg
		open   func()
	}
	entries := []entry{
		{recovery.MethodEmail, msgMethodEmail, m.showEmail},
		{recovery.MethodGUID, msgMethodGUID, m.showGUIDImport},
		{recovery.MethodQuestions, msgMethodQuestions, m.showQuestions},
	}
	first := -1 // the first usable method starts selected
	for i, e := range entries {
		why, ok := m.methodUsable(st, e.method)
		if ok && first < 0 {
			first = i
		}
		// Catalogue texts only: style tags are on for this list, to grey
		// out the methods that cannot be used.
		label := "> " + tview.Escape(m.tr.t(e.label))
		if !ok {
			label = "[gray]  " + tview.Escape(m.tr.t(e.label)) + "[-]"
		}
		open := e.open
		list.AddItem(label, why, 0, func() {
			// Status again: a lock may have ended or begun meanwhile.
			if why, ok := m.methodUsable(m.core.Status(), e.method); !ok {
				m.alert(why, nil)
				return
			}
			open()
		})
	}
	list.AddItem(m.tr.t(msgBack), "", 0, func() { m.showLogin("") })
	if first < 0 {
		first = list.GetItemCount() - 1 // none usable: start on "Indietro"
	}
	list.SetCurrentItem(first)
	list.SetDoneFunc(func() { m.showLogin("") })
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.t(msgForgotIntro)), 3, 0, false).
		AddItem(list, 0, 1, true)
	m.show("forgot", m.frame(msgForgotPassword, body), list)
}

// methodUsable says whether method can be used for a reset now, and what to
// show under it: "ready", or why it cannot.
func (m *Menu) methodUsable(st recovery.Status, method recovery.Method) (string, bool) {
	switch st.Methods[method] {
	case recovery.MethodUnavailable:
		return m.tr.t(msgMethodUnavailable), false
	case recovery.MethodNotSetUp:
		return m.tr.t(msgMethodNotSetUp), false
	case recovery.MethodExpired:
		return m.tr.t(msgMethodExpiredGUID), false
	}
	if left := st.Locked[method]; left > 0 {
		return m.tr.lockedFor(left), false
	}
	if method == recovery.MethodEmail && st.MaskedEmail != "" {
		return m.tr.tf(msgMethodEmailReady, st.MaskedEmail), true
	}
	return m.tr.t(msgMethodReady), true
}

// list makes a list with the menu's look. Item texts are shown as they are,
// never parsed for style tags.
func (m *Menu) list() *tview.List {
	l := tview.NewList().SetUseStyleTags(false, false).SetWrapAround(false)
	l.SetMainTextStyle(styleOf(colourText, colourBackground)).
		SetSecondaryTextStyle(styleOf(colourTitle, colourBackground)).
		SetSelectedStyle(styleOf(colourButtonText, colourButton))
	l.SetHighlightFullLine(true)
	return l
}
