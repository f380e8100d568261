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
	j := m.core.Journey()
	list := m.list()
	first := -1 // the first usable method starts selected
	for _, st := range j.Methods {
		if st.Usable && first < 0 {
			first = list.GetItemCount()
		}
		// A method that cannot be chosen says so in words, on its line
		// and in the reason below it, and is drawn in grey (which alone
		// would not be enough).
		label, mainRole, secondRole := "> "+m.tr.Label(st.Method), roleItem, roleSecondary
		if !st.Usable {
			label, mainRole, secondRole = "  "+m.tr.Label(st.Method)+" "+m.tr.T(texts.Unselectable), roleDisabled, roleDisabled
		}
		method := st.Method
		list.add(label, m.tr.Words(st), mainRole, secondRole, func() {
			// Asked again: a lock may have ended or begun meanwhile.
			if now := m.core.Journey().Method(method); !now.Usable {
				m.alert(m.tr.Words(now), nil)
				return
			}
			m.openMethod(method)
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

// openMethod opens the screen of a recovery method.
func (m *Menu) openMethod(method recovery.Method) {
	switch method {
	case recovery.MethodEmail:
		m.showEmail()
	case recovery.MethodGUID:
		m.showGUIDImport()
	case recovery.MethodQuestions:
		m.showQuestions()
	}
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
