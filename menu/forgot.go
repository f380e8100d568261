package menu

import (
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// showForgot is "Password Dimenticata": the three methods, each usable or
// shown disabled with the reason.
func (m *Menu) showForgot() {
	st := m.core.Status()
	list := m.list().SetUseStyleTags(true, false)
	type entry struct {
		method recovery.Method
		label  texts.ID
		open   func()
	}
	entries := []entry{
		{recovery.MethodEmail, texts.MethodEmail, m.showEmail},
		{recovery.MethodGUID, texts.MethodGUID, m.showGUIDImport},
		{recovery.MethodQuestions, texts.MethodQuestions, m.showQuestions},
	}
	first := -1 // the first usable method starts selected
	for i, e := range entries {
		why, ok := m.methodUsable(st, e.method)
		if ok && first < 0 {
			first = i
		}
		// Catalogue texts only: style tags are on for this list, to grey
		// out the methods that cannot be used.
		label := "> " + tview.Escape(m.tr.T(e.label))
		if !ok {
			label = "[gray]  " + tview.Escape(m.tr.T(e.label)) + "[-]"
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
	list.AddItem(m.tr.T(texts.Back), "", 0, func() { m.showLogin("") })
	if first < 0 {
		first = list.GetItemCount() - 1 // none usable: start on "Indietro"
	}
	list.SetCurrentItem(first)
	list.SetDoneFunc(func() { m.showLogin("") })
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.T(texts.ForgotIntro)), 3, 0, false).
		AddItem(list, 0, 1, true)
	m.show("forgot", m.frame(texts.ForgotPassword, body), list)
}

// methodUsable says whether method can be used for a reset now, and what to
// show under it: "ready", or why it cannot.
func (m *Menu) methodUsable(st recovery.Status, method recovery.Method) (string, bool) {
	switch st.Methods[method] {
	case recovery.MethodUnavailable:
		return m.tr.T(texts.MethodUnavailable), false
	case recovery.MethodNotSetUp:
		return m.tr.T(texts.MethodNotSetUp), false
	case recovery.MethodExpired:
		return m.tr.T(texts.MethodExpiredGUID), false
	}
	if left := st.Locked[method]; left > 0 {
		return m.tr.LockedFor(left), false
	}
	if method == recovery.MethodEmail && st.MaskedEmail != "" {
		return m.tr.F(texts.MethodEmailReady, st.MaskedEmail), true
	}
	return m.tr.T(texts.MethodReady), true
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
