package menu

import (
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// showForgot is "Password Dimenticata": the three methods, each usable or
// shown as one that cannot be chosen, with the reason. Coming back from a
// method, the list keeps that method selected; from the login screen
// (openForgot) it starts on the first usable one.
func (m *Menu) showForgot() {
	st := m.core.Status()
	list := m.list()
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
		// A method that cannot be chosen says so in words, on its line
		// and in the reason below it, and is drawn in grey (which alone
		// would not be enough).
		label, mainRole, secondRole := "> "+m.tr.T(e.label), roleItem, roleSecondary
		if !ok {
			label, mainRole, secondRole = "  "+m.tr.T(e.label)+" "+m.tr.T(texts.Unselectable), roleDisabled, roleDisabled
		}
		open := e.open
		list.add(label, why, mainRole, secondRole, func() {
			// Status again: a lock may have ended or begun meanwhile.
			if why, ok := m.methodUsable(m.core.Status(), e.method); !ok {
				m.alert(why, nil)
				return
			}
			open()
		})
	}
	list.item(m.tr.T(texts.Back), "", func() { m.showLogin("") })
	if first < 0 {
		first = list.GetItemCount() - 1 // none usable: start on "Indietro"
	}
	list.SetDoneFunc(func() { m.showLogin("") })
	m.keepSelection("forgot", list.List, first)
	body := m.rows().auto(m.text(m.tr.T(texts.ForgotIntro))).gap(1).fill(list, true)
	m.show("forgot", m.frame(texts.ForgotPassword, body), list)
}

// openForgot is "Password Dimenticata" from the login screen: a fresh
// start, on the first usable method.
func (m *Menu) openForgot() {
	delete(m.selected, "forgot")
	m.showForgot()
}

// keepSelection makes the list of the screen named name select what it had
// when the owner left it for a sub-step, else def, and remember it.
func (m *Menu) keepSelection(name string, l *tview.List, def int) {
	i, ok := m.selected[name]
	if !ok || i < 0 || i >= l.GetItemCount() {
		i = def
	}
	l.SetCurrentItem(i)
	m.selected[name] = i
	l.SetChangedFunc(func(i int, _, _ string, _ rune) { m.selected[name] = i })
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
