package menu

import (
	"github.com/rivo/tview"
)

// showActivation is the first start: the admin password twice with the
// strength meter; then the recovery setup.
func (m *Menu) showActivation() {
	status := m.text("")
	form := m.form(nil)
	pair := m.newPasswordPair(form)
	ok := func() {
		pw, problem := pair.check(m)
		if problem != "" {
			status.SetText(problem).SetTextColor(colourError)
			return
		}
		m.do(func() func() {
			s, err := m.core.Activate(pw)
			return func() {
				if err != nil {
					pair.clear()
					status.SetText(m.tr.err(err)).SetTextColor(colourError)
					m.app.SetFocus(pair.pw)
					return
				}
				m.log.Info("device activated")
				m.login(s)
				m.showAccountMode(m.tr.t(msgPasswordSet), true)
			}
		})
	}
	pair.confirm.SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.t(msgOk), ok)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.tf(msgActivationIntro, m.core.Serial())), 4, 0, false).
		AddItem(form, 4, 0, true).
		AddItem(pair.meter, 3, 0, false).
		AddItem(status, 0, 1, false)
	m.show("activation", m.frame(msgTitleActivation, body), pair.pw)
}
